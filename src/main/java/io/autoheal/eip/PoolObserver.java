package io.autoheal.eip;

import io.autoheal.fleet.AwsScope;
import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.fleet.ObservedAddress;
import io.autoheal.fleet.FleetInstance;
import io.autoheal.fleet.InventoryReads;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Reads a pool's world through the inventory port (no AWS call of its own at rest): its addresses out of the
 * region's, and the instances of its clusters.
 */
@ApplicationScoped
public class PoolObserver {
    private final InventoryReads inventory;

    public PoolObserver(InventoryReads inventory) {
        this.inventory = inventory;
    }

    /** The pool's addresses: the listed ids, else every selector tag, else our pool and installation tags ({@link PoolMembership}). */
    public List<ObservedAddress> addresses(ElasticIpPool pool, AwsScope scope, String installation) {
        return inventory.addresses(scope, PoolMembership.selector(pool, installation)).stream().sorted(Comparator.comparing(ObservedAddress::allocationId)).toList();
    }

    /** Addresses carrying this pool's claim tag, wherever they are (listed or selected by the pool or not). */
    public List<ObservedAddress> claimedBy(PoolClaim claim, AwsScope scope) {
        return inventory.addresses(scope, new io.autoheal.fleet.AddressSelector(null, java.util.Map.of(io.autoheal.fleet.Tags.CLAIMED_BY,
                claim.value()), claim.poolKey(), claim.installation()));
    }

    /**
     * HealingClusters of the pool's namespace that name it and are allowed on it, in the pool's region.
     *
     * @param naming the clusters the reconciler's informer maps to this pool (no LIST per pass)
     */
    public List<HealingCluster> clusters(ElasticIpPool pool, java.util.Collection<HealingCluster> naming, AwsScope scope, String defaultRegion) {
        List<String> allowed = pool.getSpec().allowedClusters;
        return naming.stream()
                .filter(hc -> pool.getMetadata().getNamespace().equals(hc.getMetadata().getNamespace()))
                // A cluster of another shard is refused on its own side (ShardMismatch); its machines stay the pool's
                // to keep their addresses, so a shard move never strips a running machine's public IP.
                .filter(hc -> hc.getSpec() != null && hc.getSpec().elasticIps != null)
                .filter(hc -> pool.getMetadata().getName().equals(hc.getSpec().elasticIps.poolRef))
                .filter(hc -> allowed == null || allowed.contains(hc.getMetadata().getName()))
                .filter(hc -> scope.region().equals(Objects.requireNonNullElse(hc.getSpec().region, defaultRegion)))
                .sorted(Comparator.comparing(hc -> hc.getMetadata().getName()))
                .toList();
    }

    public List<FleetInstance> instances(AwsScope scope, List<HealingCluster> clusters) {
        return inventory.clusterInstances(scope, clusters.stream().map(HealingCluster::ownerKey).toList());
    }
}
