package io.autoheal.eip;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.cloud.ObservedAddress;
import io.autoheal.cloud.Tags;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterface;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceAssociation;
import software.amazon.awssdk.services.ec2.model.Tag;

/** Maps what AWS returned to the allocator's inputs. */
final class PoolInputs {
    /** The {@code ipOwnerId} of a public IP AWS assigned at launch; an Elastic IP's owner is an account id. */
    static final String AMAZON_OWNED = "amazon";

    private PoolInputs() {
    }

    static List<PoolAddress> addresses(List<ObservedAddress> observed) {
        return observed.stream().map(a -> new PoolAddress(a.allocationId(), a.publicIp(), a.instanceId(), a.associationId(),
                a.associationId() != null && a.instanceId() == null, a.tags().get(Tags.ASSIGNED_CLUSTER), a.tags().get(Tags.ASSIGNED_INSTANCE))).toList();
    }

    /**
     * Instances of the pool's clusters. Those of a paused cluster keep their addresses but get no new one:
     * pausing stops every action on the cluster.
     *
     * @param poolAddresses the pool's addresses: an Elastic IP on an instance that is none of them is another one
     */
    static List<CandidateInstance> candidates(List<Instance> instances, List<HealingCluster> clusters,
                                              List<ObservedAddress> poolAddresses) {
        Map<String, HealingCluster> byKey = clusters.stream().collect(Collectors.toMap(HealingCluster::ownerKey, Function.identity()));
        Set<String> poolIps = poolAddresses.stream().map(ObservedAddress::publicIp).filter(Objects::nonNull).collect(Collectors.toSet());
        return instances.stream()
                .map(i -> {
                    String cluster = i.tags().stream().filter(t -> Tags.CLUSTER.equals(t.key())).map(Tag::value).findFirst().orElse(null);
                    HealingCluster hc = cluster == null ? null : byKey.get(cluster);
                    if (hc == null) {
                        return null;
                    }
                    InstanceState state = InstanceState.of(i.state().nameAsString());
                    if (hc.getSpec().paused && state.needsAddress()) {
                        state = InstanceState.STOPPED;
                    }
                    String zone = i.placement() == null ? null : i.placement().availabilityZone();
                    return new CandidateInstance(i.instanceId(), cluster, state, i.launchTime(), zone, carriesOtherElasticIp(i, poolIps));
                })
                .filter(Objects::nonNull)
                .toList();
    }

    /**
     * One of the instance's network interfaces (any private IP of it) carries a public IP that AWS did not assign at
     * launch — an Elastic IP — and that is not one of the pool's. Read from DescribeInstances, which the pool pass
     * makes anyway: no extra call. AssociateAddress on the instance would replace the primary one.
     */
    static boolean carriesOtherElasticIp(Instance instance, Set<String> poolIps) {
        return instance.networkInterfaces().stream()
                .flatMap(PoolInputs::associations)
                .anyMatch(a -> a.publicIp() != null && !poolIps.contains(a.publicIp())
                        && a.ipOwnerId() != null && !a.ipOwnerId().isBlank() && !AMAZON_OWNED.equals(a.ipOwnerId()));
    }

    private static Stream<InstanceNetworkInterfaceAssociation> associations(InstanceNetworkInterface ni) {
        return Stream.concat(Stream.ofNullable(ni.association()),
                ni.privateIpAddresses().stream().map(p -> p.association()).filter(Objects::nonNull));
    }
}
