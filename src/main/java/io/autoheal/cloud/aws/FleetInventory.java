package io.autoheal.cloud.aws;

import io.autoheal.cloud.ClusterObservation;
import io.autoheal.cloud.ObservedAddress;
import io.autoheal.config.OperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * The operator's one view of AWS per region (its "informer"): every reconcile reads a snapshot instead of asking
 * AWS, so AWS calls depend on pages, not on the number of clusters. A snapshot older than the resync interval is
 * refreshed by the first reader that needs it while concurrent readers wait for that one refresh (coalescing).
 * After the operator's own write, the group (or the region's addresses) it touched is marked stale and re-read
 * by the next reader, so no decision acts on a view older than the action before it. Lifecycle hooks, which AWS
 * cannot read in bulk, are cached per group and re-read after our hook writes or every {@value #HOOK_TTL_RESYNCS}
 * resyncs.
 */
@ApplicationScoped
public class FleetInventory {
    static final int HOOK_TTL_RESYNCS = 10;
    private final RegionReader regions;
    private final AwsFleetReader groups;
    private final Clock clock;
    private final Duration maxAge;
    private final boolean enabled;
    private final Map<String, Region> byRegion = new ConcurrentHashMap<>();

    public FleetInventory(RegionReader regions, AwsFleetReader groups, Clock clock, OperatorConfig config) {
        this.regions = regions;
        this.groups = groups;
        this.clock = clock;
        this.maxAge = config.resyncInterval();
        this.enabled = config.inventory().enabled();
    }

    /** What one region holds between refreshes. */
    private static final class Region {
        volatile RegionSnapshot snapshot;
        volatile boolean addressesStale;
        final Map<String, ClusterObservation> freshGroups = new ConcurrentHashMap<>();
        final Map<String, Instant> freshGroupsReadAt = new ConcurrentHashMap<>();
        final Set<String> staleGroups = ConcurrentHashMap.newKeySet();
        final Map<String, Hooks> hooks = new ConcurrentHashMap<>();
    }

    private record Hooks(Set<String> names, Instant readAt) {
    }

    /** One cluster's group and instances: from the snapshot, or re-read when we changed it since. */
    public ClusterObservation observeCluster(String region, String asgName) {
        if (!enabled) {
            return groups.observeCluster(region, asgName, true); // the per-cluster baseline of make bench
        }
        Region r = region(region);
        RegionSnapshot snapshot = snapshot(r, region);
        if (!r.staleGroups.contains(asgName)) {
            ClusterObservation fresh = r.freshGroups.get(asgName);
            if (fresh != null) {
                return fresh;
            }
            if (snapshot.complete(asgName)) {
                return snapshot.cluster(asgName, hooks(r, region, asgName)).orElseThrow();
            }
        }
        // Stale, new (not tagged yet, just created), or missing members' EC2 records: a targeted, batched re-read.
        Instant readAt = clock.instant();
        r.staleGroups.remove(asgName);
        ClusterObservation observed = groups.observeCluster(region, asgName, true);
        r.freshGroups.put(asgName, observed);
        r.freshGroupsReadAt.put(asgName, readAt);
        observed.asg().ifPresent(a -> r.hooks.put(asgName, new Hooks(a.launchHooks(), readAt)));
        return observed;
    }

    /** Every Elastic IP of the region (the pools filter their own). */
    public List<ObservedAddress> addresses(String region) {
        Region r = region(region);
        RegionSnapshot snapshot = snapshot(r, region);
        if (r.addressesStale) {
            synchronized (r) {
                if (r.addressesStale) {
                    r.addressesStale = false;
                    r.snapshot = r.snapshot.withAddresses(regions.addresses(region));
                }
            }
            snapshot = r.snapshot;
        }
        return snapshot.addresses();
    }

    /** Instances of these clusters in any state, as the last full refresh saw them. */
    public List<Instance> clusterInstances(String region, Collection<String> clusterKeys) {
        return snapshot(region(region), region).clusterInstances(clusterKeys);
    }

    /** The operator changed this group (size, template, processes, hooks, a termination, a lifecycle action). */
    public void groupChanged(String region, String asgName) {
        Region r = region(region);
        r.staleGroups.add(asgName);
        r.hooks.remove(asgName);
    }

    /** The operator changed an instance (a tag, a termination): its group is re-read next. */
    public void instanceChanged(String region, String instanceId) {
        Region r = region(region);
        RegionSnapshot s = r.snapshot;
        if (s == null) {
            return;
        }
        r.freshGroups.forEach((group, observed) -> {
            if (observed.instances().containsKey(instanceId)) {
                r.staleGroups.add(group);
            }
        });
        s.groupOf(instanceId).ifPresent(r.staleGroups::add);
    }

    /** The operator associated, disassociated, allocated, released or tagged an address. */
    public void addressesChanged(String region) {
        region(region).addressesStale = true;
    }

    private Region region(String region) {
        return byRegion.computeIfAbsent(region, k -> new Region());
    }

    /** The region's snapshot, refreshed first when older than the resync interval — once, for all waiting readers. */
    private RegionSnapshot snapshot(Region r, String region) {
        RegionSnapshot s = r.snapshot;
        if (s != null && fresh(s)) {
            return s;
        }
        synchronized (r) {
            s = r.snapshot;
            if (s != null && fresh(s)) {
                return s;
            }
            RegionSnapshot read = regions.read(region);
            // A group re-read after this refresh started is newer than what the refresh saw: it stays.
            r.freshGroupsReadAt.forEach((group, at) -> {
                if (!at.isAfter(read.readAt())) {
                    r.freshGroups.remove(group);
                    r.freshGroupsReadAt.remove(group);
                }
            });
            r.addressesStale = false;
            r.snapshot = read;
            return read;
        }
    }

    private boolean fresh(RegionSnapshot s) {
        return s.readAt().plus(maxAge).isAfter(clock.instant());
    }

    private Set<String> hooks(Region r, String region, String asgName) {
        Instant now = clock.instant();
        Hooks cached = r.hooks.get(asgName);
        if (cached != null && cached.readAt().plus(maxAge.multipliedBy(HOOK_TTL_RESYNCS)).isAfter(now)) {
            return cached.names();
        }
        Set<String> names = regions.launchHooks(region, asgName);
        r.hooks.put(asgName, new Hooks(names, now));
        return names;
    }
}
