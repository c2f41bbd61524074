package io.autoheal.eip;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * An instance of one of the clusters using the pool, in any state (terminating ones included).
 *
 * @param cluster                {@code <namespace>/<name>}
 * @param launchTime             null sorts last (waits behind instances with a known launch time)
 * @param zone                   availability zone, null if unknown: a replacement is paired with a predecessor of
 *                               its own zone first (an ASG replaces a machine in the zone it lost)
 * @param carriesOtherElasticIp  one of its network interfaces already carries an Elastic IP that is not in this pool
 *                               (another pool's, or one attached by hand): it gets no pool address, because an
 *                               association would replace that public IP and someone may rely on it
 * @param clusterDeleting        its cluster is being deleted: it keeps what it holds, gets nothing new, and an
 *                               unclaimed address on it is not adopted (an Orphan deletion has just un-claimed it)
 */
public record CandidateInstance(String instanceId, String cluster, InstanceState state, Instant launchTime, String zone,
                                boolean carriesOtherElasticIp, boolean clusterDeleting) {

    public CandidateInstance(String instanceId, String cluster, InstanceState state, Instant launchTime, String zone,
                             boolean carriesOtherElasticIp) {
        this(instanceId, cluster, state, launchTime, zone, carriesOtherElasticIp, false);
    }

    /** Who has waited longest goes first: oldest launch, then instance id. */
    public static final Comparator<CandidateInstance> LONGEST_WAITING = Comparator
            .comparing(CandidateInstance::launchTime, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(CandidateInstance::instanceId);

    public CandidateInstance {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(state, "state");
    }

    /** Both zones are known and equal. */
    boolean sameZone(CandidateInstance other) {
        return zone != null && zone.equals(other.zone);
    }
}
