package io.autoheal.cloud.aws;

import io.autoheal.fleet.AwsScope;
import io.autoheal.fleet.ClusterObservation;
import io.autoheal.fleet.ObservedAddress;
import io.autoheal.fleet.ObservedAsg;
import io.autoheal.fleet.Tags;
import io.autoheal.fleet.AddressSelector;
import io.autoheal.fleet.FleetInstance;
import io.autoheal.fleet.InventoryReads;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reads port over AWS: the region's {@link FleetInventory} snapshot; with the inventory off (the bench's
 * baseline), one DescribeAddresses per pool and one DescribeInstances for all its clusters per pass.
 */
@ApplicationScoped
public class AwsInventory implements InventoryReads {
    private final FleetInventory inventory;
    private final AwsFleetReader reader;
    private final AddressGateway gateway;
    /** Per region, the inventory's address list last seen and its addresses by pool tag: one scan per list, not per pool. */
    private final Map<AwsScope, ByPool> byPool = new ConcurrentHashMap<>();

    private record ByPool(List<ObservedAddress> source, Map<String, List<ObservedAddress>> index) {
    }

    public AwsInventory(FleetInventory inventory, AwsFleetReader reader, AddressGateway gateway) {
        this.inventory = inventory;
        this.reader = reader;
        this.gateway = gateway;
    }

    @Override
    public ClusterObservation observeCluster(AwsScope scope, String asgName, boolean gated) {
        return AwsFailures.call(() -> inventory.observeCluster(scope, asgName, gated));
    }

    @Override
    public Optional<ObservedAsg> describeGroup(AwsScope scope, String asgName, boolean withLaunchHooks) {
        return AwsFailures.call(() -> reader.describeAsg(scope, asgName, withLaunchHooks));
    }

    @Override
    public List<String> groupsOf(AwsScope scope, String clusterKey, String installation) {
        return inventory.groupsOf(scope, clusterKey, installation);
    }

    @Override
    public List<ObservedAddress> addresses(AwsScope scope, AddressSelector selector) {
        return AwsFailures.call(() -> addressesInAws(scope, selector));
    }

    private List<ObservedAddress> addressesInAws(AwsScope scope, AddressSelector selector) {
        if (inventory.enabled()) {
            List<ObservedAddress> all = inventory.addresses(scope);
            if (selector.allocationIds() == null && selector.tags() == null) { // the pool's own tag: what most pools use
                // the index is by pool tag; the installation is the selector's (another installation's pool of this name)
                return poolIndex(scope, all).getOrDefault(selector.poolKey(), List.of()).stream()
                        .filter(a -> selector.matches(a.allocationId(), a.tags())).toList();
            }
            return all.stream().filter(a -> selector.matches(a.allocationId(), a.tags())).toList();
        } else if (selector.allocationIds() != null) {
            return gateway.byAllocationIds(scope, new LinkedHashSet<>(selector.allocationIds()));
        } else if (selector.tags() != null) {
            return gateway.byTags(scope, selector.tags());
        }
        return gateway.byTags(scope, Map.of(Tags.POOL, selector.poolKey())).stream()
                .filter(a -> selector.matches(a.allocationId(), a.tags())).toList();
    }

    /** The inventory hands out the same list until a refresh or a re-read after our writes: the index follows it. */
    private Map<String, List<ObservedAddress>> poolIndex(AwsScope scope, List<ObservedAddress> all) {
        ByPool cached = byPool.get(scope);
        if (cached == null || cached.source() != all) {
            Map<String, List<ObservedAddress>> index = new HashMap<>();
            for (ObservedAddress a : all) {
                String pool = a.tags().get(Tags.POOL);
                if (pool != null) {
                    index.computeIfAbsent(pool, k -> new java.util.ArrayList<>()).add(a);
                }
            }
            cached = new ByPool(all, index);
            byPool.put(scope, cached);
        }
        return cached.index();
    }

    @Override
    public List<FleetInstance> clusterInstances(AwsScope scope, Collection<String> clusterKeys) {
        return AwsFailures.call(() -> clusterInstancesInAws(scope, clusterKeys));
    }

    private List<FleetInstance> clusterInstancesInAws(AwsScope scope, Collection<String> clusterKeys) {
        List<String> keys = List.copyOf(clusterKeys);
        return FleetInstances.of(inventory.enabled() ? inventory.clusterInstances(scope, keys) : gateway.clusterInstances(scope, keys));
    }
}
