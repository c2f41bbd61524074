package io.autoheal.cloud.aws;

import io.autoheal.fleet.AwsScope;
import io.autoheal.fleet.ClusterObservation;
import io.autoheal.fleet.ObservedAddress;
import io.autoheal.fleet.ObservedAsg;
import io.autoheal.fleet.ObservedInstance;
import io.autoheal.fleet.Tags;
import io.autoheal.config.OperatorConfig;
import io.autoheal.fleet.InventoryInvalidation;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * The operator's one view of AWS per region (its "informer"): every reconcile reads a snapshot instead of asking
 * AWS, so AWS calls depend on pages, not on the number of clusters. A snapshot older than the resync interval is
 * refreshed by the first reader that needs it while concurrent readers wait for that one refresh (coalescing).
 *
 * <p>A group is read on its own (a targeted, batched read) when the snapshot cannot be trusted for it: after the
 * operator's own write to it (the writers mark it stale, so no decision acts on a view older than the action before
 * it), when the snapshot does not know it (just created, adopted, not tagged yet) or lacks a member's EC2 record, and
 * while it is in transition (a member not InService and running, or fewer or more members than desired) — so a
 * replacement is followed at the pace of its own reconciles, and a fleet at rest costs only the region's refresh.
 * Lifecycle hooks, which AWS cannot read in bulk, are cached per group: re-read after our own hook writes and, for a
 * cluster that gates launches, every {@value #HOOK_TTL_RESYNCS} resyncs.
 */
@ApplicationScoped
public class FleetInventory implements InventoryInvalidation, io.autoheal.fleet.TargetHealthReads {
    static final int HOOK_TTL_RESYNCS = 10;
    static final int RETRY_AFTER_FAILURE_SECONDS = 5;
    static final int STALE_LIMIT_RESYNCS = 3;
    private final RegionReader regions;
    private final AwsFleetReader groups;
    private final Clock clock;
    private final Duration maxAge;
    private final boolean enabled;
    private final Map<AwsScope, Region> byRegion = new ConcurrentHashMap<>();

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
        /** Bumped by every address write (before and after it); a read clears staleness only up to its own start. */
        final java.util.concurrent.atomic.AtomicLong addressMarks = new java.util.concurrent.atomic.AtomicLong();
        volatile long addressesReadAtMark;
        volatile Instant refreshFailedAt;
        volatile RuntimeException refreshFailure;
        final Map<String, Fresh> freshGroups = new ConcurrentHashMap<>();
        final Set<String> staleGroups = ConcurrentHashMap.newKeySet();
        final Map<String, Hooks> hooks = new ConcurrentHashMap<>();
    }

    /** A group read on its own after the snapshot, which serves until the next refresh supersedes it. */
    private record Fresh(AwsFleetReader.GroupRead read, Instant readAt) {
    }

    private record Hooks(Set<String> names, Instant readAt) {
    }

    /** Whether the inventory is on (off: the per-cluster reads of the bench's baseline). */
    public boolean enabled() {
        return enabled;
    }

    /** One cluster's group and instances: from the snapshot, or read on its own when the snapshot cannot serve. */
    public ClusterObservation observeCluster(AwsScope scope, String asgName) {
        return observeCluster(scope, asgName, false);
    }

    /**
     * @param gated the cluster gates launches with our lifecycle hook: its hooks are re-read every
     *              {@value #HOOK_TTL_RESYNCS} resyncs (a hook removed by hand must come back). Without a gate they
     *              are read once and then only after our own hook writes — at rest, hooks cost nothing per cluster.
     */
    public ClusterObservation observeCluster(AwsScope scope, String asgName, boolean gated) {
        if (!enabled) {
            return groups.observeCluster(scope, asgName, true); // the per-cluster baseline of make bench
        }
        Region r = region(scope);
        RegionSnapshot snapshot = snapshot(r, scope);
        if (!r.staleGroups.contains(asgName)) {
            Fresh fresh = r.freshGroups.get(asgName);
            if (fresh != null && settled(fresh.read().observation())) {
                return RegionSnapshot.withEips(fresh.read().observation(), addressIndex(r, scope));
            }
            if (fresh == null && snapshot.complete(asgName)) {
                ClusterObservation observed = snapshot.cluster(asgName, hooks(r, scope, asgName, gated)).orElseThrow();
                if (settled(observed)) {
                    return RegionSnapshot.withEips(observed, addressIndex(r, scope));
                }
            }
        }
        Instant readAt = clock.instant();
        r.staleGroups.remove(asgName);
        AwsFleetReader.GroupRead read = groups.readGroup(scope, asgName, true);
        r.freshGroups.put(asgName, new Fresh(read, readAt));
        read.observation().asg().ifPresent(a -> r.hooks.put(asgName, new Hooks(a.launchHooks(), readAt)));
        return read.observation();
    }

    /**
     * At rest: the group exists, is not being deleted, has as many members as desired, and every member is
     * InService with its instance running. Anything else is a transition, followed with targeted reads.
     */
    static boolean settled(ClusterObservation observed) {
        if (observed.asg().isEmpty()) {
            return false;
        }
        ObservedAsg g = observed.asg().get();
        if (g.deleting() || g.members().size() != g.desired()) {
            return false;
        }
        for (ObservedAsg.AsgMember m : g.members()) {
            ObservedInstance i = observed.instances().get(m.instanceId());
            if (!"InService".equals(m.lifecycleState()) || i == null || !"running".equals(i.state())) {
                return false;
            }
        }
        return true;
    }

    /** Every Elastic IP of the region (the pools filter their own), re-read after our own address writes. */
    /** Each instance's Elastic IPs, from the snapshot's index after the addresses are brought up to date. */
    private java.util.function.Function<String, List<ObservedAddress>> addressIndex(Region r, AwsScope scope) {
        addresses(scope);
        RegionSnapshot current = r.snapshot;
        return current::addressesOf;
    }

    public List<ObservedAddress> addresses(AwsScope scope) {
        Region r = region(scope);
        snapshot(r, scope);
        if (r.addressMarks.get() != r.addressesReadAtMark) {
            synchronized (r) {
                long mark = r.addressMarks.get();
                if (mark != r.addressesReadAtMark) {
                    r.snapshot = r.snapshot.withAddresses(regions.addresses(scope));
                    r.addressesReadAtMark = mark; // a write marked during this read stays stale: read again next time
                }
            }
        }
        return r.snapshot.addresses();
    }

    /** Instances of these clusters in any state: the snapshot's, overridden by groups read on their own since. */
    public List<Instance> clusterInstances(AwsScope scope, Collection<String> clusterKeys) {
        Region r = region(scope);
        Map<String, Instance> byId = new LinkedHashMap<>();
        snapshot(r, scope).clusterInstances(clusterKeys).forEach(i -> byId.put(i.instanceId(), i));
        Set<String> keys = Set.copyOf(clusterKeys);
        for (Fresh f : r.freshGroups.values()) {
            // Warm spares are no machines of their cluster yet: no pool gives them an address (the snapshot leaves them out too).
            Set<String> spares = f.read().observation().asg().map(ObservedAsg::spares).orElse(List.of()).stream()
                    .map(ObservedAsg.AsgMember::instanceId).collect(java.util.stream.Collectors.toSet());
            for (Instance i : f.read().instances()) {
                boolean ours = i.tags().stream().anyMatch(t -> Tags.CLUSTER.equals(t.key()) && keys.contains(t.value()));
                if (spares.contains(i.instanceId())
                        || f.read().observation().asg().map(g -> RegionSnapshot.maybeSpare(i, g)).orElse(false)) {
                    byId.remove(i.instanceId());
                } else if (ours) {
                    byId.put(i.instanceId(), i);
                }
            }
        }
        return List.copyOf(byId.values());
    }

    /** The last refresh's target health (no refresh of its own: the passes keep the snapshot fresh). */
    @Override
    public io.autoheal.fleet.ObservedTargetHealth targetHealth(AwsScope scope) {
        RegionSnapshot s = region(scope).snapshot;
        return s == null ? io.autoheal.fleet.ObservedTargetHealth.NONE : s.targetHealth();
    }

    /** The cluster (autoheal.io/cluster tag) of an instance the inventory knows, from any group read. */
    @Override
    public Optional<String> clusterOfInstance(AwsScope scope, String instanceId) {
        Region r = byRegion.get(scope);
        if (r == null) {
            return Optional.empty();
        }
        for (Fresh f : r.freshGroups.values()) {
            Optional<String> tagged = f.read().instances().stream().filter(i -> instanceId.equals(i.instanceId())).findFirst()
                    .flatMap(i -> i.tags().stream().filter(t -> Tags.CLUSTER.equals(t.key())).map(t -> t.value()).findFirst());
            if (tagged.isPresent()) {
                return tagged;
            }
        }
        RegionSnapshot s = r.snapshot;
        return s == null ? Optional.empty() : s.clusterOfInstance(instanceId);
    }

    /** Whether the region's groups have been read at least once: before that, an instance it does not know may be ours. */
    @Override
    public boolean synced(AwsScope scope) {
        Region r = byRegion.get(scope);
        return !enabled || r != null && r.snapshot != null;
    }

    /**
     * Names of the groups of the region's snapshot tagged as this cluster's and belonging to this installation (the
     * snapshot holds only this installation's groups, RegionReader). Empty with the inventory off (the bench's baseline).
     */
    public List<String> groupsOf(AwsScope scope, String clusterKey, String installation) {
        if (!enabled) {
            return List.of();
        }
        RegionSnapshot s = snapshot(region(scope), scope);
        return s.groupNames().stream().map(n -> s.group(n).orElseThrow())
                .filter(g -> g.ownedBy(clusterKey) && io.autoheal.fleet.Installations.owns(installation, g.tags()))
                .map(ObservedAsg::name).sorted().toList();
    }

    /** The cluster (autoheal.io/cluster tag) of one of our groups. */
    @Override
    public Optional<String> clusterOfGroup(AwsScope scope, String asgName) {
        Region r = byRegion.get(scope);
        if (r == null) {
            return Optional.empty();
        }
        Fresh f = r.freshGroups.get(asgName);
        if (f != null && f.read().observation().asg().isPresent()) {
            return Optional.ofNullable(f.read().observation().asg().get().tags().get(Tags.CLUSTER));
        }
        RegionSnapshot s = r.snapshot;
        return s == null ? Optional.empty() : s.group(asgName).map(g -> g.tags().get(Tags.CLUSTER));
    }

    @Override
    public Set<AwsScope> scopes() {
        return Set.copyOf(byRegion.keySet());
    }

    /** The operator changed this group (size, template, processes, hooks, a lifecycle action, deletion). */
    @Override
    public void groupChanged(AwsScope scope, String asgName) {
        Region r = byRegion.get(scope);
        if (r == null) {
            return; // nothing read in this scope yet: its first read is fresh anyway
        }
        r.staleGroups.add(asgName);
        r.hooks.remove(asgName);
    }

    /** The operator changed an instance (a termination, a tag): its group is read on its own next. */
    @Override
    public void instanceChanged(AwsScope scope, String instanceId) {
        Region r = byRegion.get(scope);
        if (r == null) {
            return;
        }
        r.freshGroups.forEach((group, fresh) -> {
            if (fresh.read().observation().instances().containsKey(instanceId)) {
                r.staleGroups.add(group);
            }
        });
        RegionSnapshot s = r.snapshot;
        if (s != null) {
            s.groupOf(instanceId).ifPresent(r.staleGroups::add);
        }
    }

    /** The operator associated, disassociated, allocated, released or tagged an address (call before and after). */
    public void addressesChanged(AwsScope scope) {
        region(scope).addressMarks.incrementAndGet();
    }

    private Region region(AwsScope scope) {
        return byRegion.computeIfAbsent(scope, k -> new Region());
    }

    /**
     * The region's snapshot, refreshed first when older than the resync interval — once, for all waiting readers. A
     * refresh that fails is not retried by every waiting reader in turn: for {@value #RETRY_AFTER_FAILURE_SECONDS} s the
     * readers get the last snapshot (if it is not older than {@value #STALE_LIMIT_RESYNCS} resyncs) or the same failure.
     */
    private RegionSnapshot snapshot(Region r, AwsScope scope) {
        RegionSnapshot s = r.snapshot;
        if (s != null && fresh(s)) {
            return s;
        }
        synchronized (r) {
            s = r.snapshot;
            if (s != null && fresh(s)) {
                return s;
            }
            Instant now = clock.instant();
            if (r.refreshFailedAt != null && r.refreshFailedAt.plusSeconds(RETRY_AFTER_FAILURE_SECONDS).isAfter(now)) {
                return lastOrFail(r, s, now);
            }
            long mark = r.addressMarks.get();
            RegionSnapshot read;
            try {
                read = regions.read(scope);
            } catch (RuntimeException e) {
                r.refreshFailedAt = now;
                r.refreshFailure = e;
                return lastOrFail(r, s, now);
            }
            r.refreshFailedAt = null;
            r.refreshFailure = null;
            // A group read on its own after this refresh started is newer than what the refresh saw: it stays.
            r.freshGroups.values().removeIf(f -> !f.readAt().isAfter(read.readAt()));
            r.staleGroups.retainAll(java.util.stream.Stream.concat(read.groupNames().stream(), r.freshGroups.keySet().stream())
                    .collect(java.util.stream.Collectors.toSet()));
            r.hooks.keySet().retainAll(read.groupNames());
            r.addressesReadAtMark = mark;
            r.snapshot = read;
            return read;
        }
    }

    private RegionSnapshot lastOrFail(Region r, RegionSnapshot last, Instant now) {
        if (last != null && last.readAt().plus(maxAge.multipliedBy(STALE_LIMIT_RESYNCS)).isAfter(now)) {
            return last;
        }
        throw r.refreshFailure;
    }

    private boolean fresh(RegionSnapshot s) {
        return s.readAt().plus(maxAge).isAfter(clock.instant());
    }

    private Set<String> hooks(Region r, AwsScope scope, String asgName, boolean gated) {
        Instant now = clock.instant();
        Hooks cached = r.hooks.get(asgName);
        if (cached != null && (!gated || cached.readAt().plus(maxAge.multipliedBy(HOOK_TTL_RESYNCS)).isAfter(now))) {
            return cached.names();
        }
        Set<String> names = regions.launchHooks(scope, asgName);
        r.hooks.put(asgName, new Hooks(names, now));
        return names;
    }
}
