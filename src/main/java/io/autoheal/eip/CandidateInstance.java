package io.autoheal.eip;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * An instance of one of the clusters using the pool, in any state (terminating ones included).
 *
 * @param cluster                {@code <namespace>/<name>}
 * @param launchTime             null sorts last (waits behind instances with a known launch time)
 * @param carriesOtherElasticIp  its primary interface already carries an Elastic IP that is not in this pool
 *                               (another pool's, or one attached by hand): it gets no pool address, because an
 *                               association would replace that public IP and someone may rely on it
 */
public record CandidateInstance(String instanceId, String cluster, InstanceState state, Instant launchTime,
                                boolean carriesOtherElasticIp) {

    /** Who has waited longest goes first: oldest launch, then instance id. */
    public static final Comparator<CandidateInstance> LONGEST_WAITING = Comparator
            .comparing(CandidateInstance::launchTime, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(CandidateInstance::instanceId);

    public CandidateInstance {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(state, "state");
    }

    public CandidateInstance(String instanceId, String cluster, InstanceState state, Instant launchTime) {
        this(instanceId, cluster, state, launchTime, false);
    }
}
