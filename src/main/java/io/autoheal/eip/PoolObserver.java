package io.autoheal.eip;

import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.ElasticIpPoolSpec;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.cloud.ObservedAddress;
import io.autoheal.cloud.Tags;
import io.autoheal.cloud.aws.AddressGateway;
import io.autoheal.cloud.aws.FleetInventory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Reads a pool's world from the region's fleet inventory (no AWS call of its own at rest): its addresses out of the
 * region's, and the instances of its clusters. With the inventory off (the bench's baseline), one DescribeAddresses
 * for the pool and one DescribeInstances for all its clusters per pass.
 */
@ApplicationScoped
public class PoolObserver {
    private final AddressGateway gateway;
    private final FleetInventory inventory;

    public PoolObserver(AddressGateway gateway, FleetInventory inventory) {
        this.gateway = gateway;
        this.inventory = inventory;
    }

    /** The pool's addresses: the listed ids, else every selector tag, else our pool tag ({@link PoolMembership}). */
    public List<ObservedAddress> addresses(ElasticIpPool pool, String region) {
        ElasticIpPoolSpec spec = pool.getSpec();
        List<ObservedAddress> found;
        if (inventory.enabled()) {
            found = inventory.addresses(region).stream().filter(a -> PoolMembership.contains(pool, a.allocationId(), a.tags())).toList();
        } else if (spec.addresses != null) {
            found = gateway.byAllocationIds(region, new LinkedHashSet<>(spec.addresses));
        } else if (spec.selector != null) {
            found = gateway.byTags(region, spec.selector);
        } else {
            found = gateway.byTags(region, Map.of(Tags.POOL, pool.ownerKey()));
        }
        return found.stream().sorted(Comparator.comparing(ObservedAddress::allocationId)).toList();
    }

    /**
     * HealingClusters of the pool's namespace that name it and are allowed on it, in the pool's region.
     *
     * @param naming the clusters the reconciler's informer maps to this pool (no LIST per pass)
     */
    public List<HealingCluster> clusters(ElasticIpPool pool, java.util.Collection<HealingCluster> naming, String region, String defaultRegion) {
        List<String> allowed = pool.getSpec().allowedClusters;
        return naming.stream()
                .filter(hc -> pool.getMetadata().getNamespace().equals(hc.getMetadata().getNamespace()))
                // A cluster of another shard is refused on its own side (ShardMismatch); its machines stay the pool's
                // to keep their addresses, so a shard move never strips a running machine's public IP.
                .filter(hc -> hc.getSpec() != null && hc.getSpec().elasticIps != null)
                .filter(hc -> pool.getMetadata().getName().equals(hc.getSpec().elasticIps.poolRef))
                .filter(hc -> allowed == null || allowed.contains(hc.getMetadata().getName()))
                .filter(hc -> region.equals(Objects.requireNonNullElse(hc.getSpec().region, defaultRegion)))
                .sorted(Comparator.comparing(hc -> hc.getMetadata().getName()))
                .toList();
    }

    public List<Instance> instances(String region, List<HealingCluster> clusters) {
        List<String> keys = clusters.stream().map(HealingCluster::ownerKey).toList();
        return inventory.enabled() ? inventory.clusterInstances(region, keys) : gateway.clusterInstances(region, keys);
    }
}
