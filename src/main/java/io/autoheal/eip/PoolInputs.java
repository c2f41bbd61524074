package io.autoheal.eip;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.fleet.ObservedAddress;
import io.autoheal.fleet.Tags;
import io.autoheal.fleet.FleetInstance;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Maps what AWS returned to the allocator's inputs. */
public final class PoolInputs {
    /** The {@code ipOwnerId} of a public IP AWS assigned at launch; an Elastic IP's owner is an account id. */
    static final String AMAZON_OWNED = FleetInstance.PublicIp.AMAZON;

    private PoolInputs() {
    }

    /** @param claim this pool's claim: each address's claim tags are read against it */
    public static List<PoolAddress> addresses(List<ObservedAddress> observed, PoolClaim claim) {
        return observed.stream().map(a -> new PoolAddress(a.allocationId(), a.publicIp(), a.instanceId(), a.associationId(),
                a.associationId() != null && a.instanceId() == null, a.tags().get(Tags.ASSIGNED_CLUSTER), a.tags().get(Tags.ASSIGNED_INSTANCE),
                claim.read(a.tags()), PoolClaim.claimant(a.tags()))).toList();
    }

    /**
     * Instances of the pool's clusters. Those of a paused cluster keep their addresses but get no new one:
     * pausing stops every action on the cluster. Those of a cluster being deleted keep theirs and get none either.
     *
     * @param poolAddresses the pool's addresses: an Elastic IP on an instance that is none of them is another one
     */
    public static List<CandidateInstance> candidates(List<FleetInstance> instances, List<HealingCluster> clusters,
                                              List<ObservedAddress> poolAddresses) {
        Map<String, HealingCluster> byKey = clusters.stream().collect(Collectors.toMap(HealingCluster::ownerKey, Function.identity()));
        Set<String> poolIps = poolAddresses.stream().map(ObservedAddress::publicIp).filter(Objects::nonNull).collect(Collectors.toSet());
        return instances.stream()
                .map(i -> {
                    String cluster = i.cluster();
                    HealingCluster hc = cluster == null ? null : byKey.get(cluster);
                    if (hc == null) {
                        return null;
                    }
                    InstanceState state = InstanceState.of(i.state());
                    if (hc.getSpec().paused && state.needsAddress()) {
                        state = InstanceState.STOPPED;
                    }
                    return new CandidateInstance(i.instanceId(), cluster, state, i.launchTime(), i.zone(), carriesOtherElasticIp(i, poolIps),
                            hc.getMetadata().getDeletionTimestamp() != null);
                })
                .filter(Objects::nonNull)
                .toList();
    }

    /**
     * One of the instance's network interfaces (any private IP of it) carries a public IP that AWS did not assign at
     * launch — an Elastic IP — and that is not one of the pool's. Read from DescribeInstances, which the pool pass
     * makes anyway: no extra call. AssociateAddress on the instance would replace the primary one.
     */
    static boolean carriesOtherElasticIp(FleetInstance instance, Set<String> poolIps) {
        return instance.publicIps().stream()
                .anyMatch(a -> a.ip() != null && !poolIps.contains(a.ip())
                        && a.ownerId() != null && !a.ownerId().isBlank() && !AMAZON_OWNED.equals(a.ownerId()));
    }
}
