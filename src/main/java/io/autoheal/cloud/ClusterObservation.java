package io.autoheal.cloud;

import java.util.Map;
import java.util.Optional;

/** Everything AWS says about one cluster, read in a constant number of batched calls. */
public record ClusterObservation(Optional<ObservedAsg> asg, Map<String, ObservedInstance> instances) {
}
