package io.autoheal.eip;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.cloud.ObservedAddress;
import io.autoheal.cloud.Tags;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Tag;

/** Maps what AWS returned to the allocator's inputs. */
final class PoolInputs {
    private PoolInputs() {
    }

    static List<PoolAddress> addresses(List<ObservedAddress> observed) {
        return observed.stream().map(a -> new PoolAddress(a.allocationId(), a.publicIp(), a.instanceId(), a.associationId(),
                a.associationId() != null && a.instanceId() == null, a.tags().get(Tags.ASSIGNED_CLUSTER), a.tags().get(Tags.ASSIGNED_INSTANCE))).toList();
    }

    /**
     * Instances of the pool's clusters. Those of a paused cluster keep their addresses but get no new one:
     * pausing stops every action on the cluster.
     */
    static List<CandidateInstance> candidates(List<Instance> instances, List<HealingCluster> clusters) {
        Map<String, HealingCluster> byKey = clusters.stream().collect(Collectors.toMap(HealingCluster::ownerKey, Function.identity()));
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
                    return new CandidateInstance(i.instanceId(), cluster, state, i.launchTime());
                })
                .filter(Objects::nonNull)
                .toList();
    }
}
