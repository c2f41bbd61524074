package io.autoheal.fleet;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything AWS says about one cluster, read in a constant number of batched calls.
 *
 * @param activities the group's recent scaling activities, newest first — read only while the group is short of
 *                   desired or in transition (a settled group costs no extra call); empty otherwise
 */
public record ClusterObservation(Optional<ObservedAsg> asg, Map<String, ObservedInstance> instances, List<ScalingActivity> activities) {
    public ClusterObservation(Optional<ObservedAsg> asg, Map<String, ObservedInstance> instances) {
        this(asg, instances, List.of());
    }
}
