package io.autoheal.bench;

import io.autoheal.fleet.AwsScope;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.ElasticIpPoolStatus;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterStatus;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.bootstrap.ClusterBootstrapper;
import io.autoheal.fleet.ClusterObservation;
import io.autoheal.fleet.ObservedAddress;
import io.autoheal.fleet.ObservedAsg;
import io.autoheal.fleet.Tags;
import io.autoheal.cluster.AwsNotices;
import io.autoheal.cluster.ClusterActuator;
import io.autoheal.cluster.ClusterObserver;
import io.autoheal.cluster.plan.ClusterPlan;
import io.autoheal.bootstrap.ClusterDrainer;
import io.autoheal.cluster.ClusterReporter;
import io.autoheal.cluster.healing.HealingPlan;
import io.autoheal.cluster.healing.HealthDecider;
import io.autoheal.cluster.healing.HealthPolicy;
import io.autoheal.eip.AddressAllocator;
import io.autoheal.eip.AllocationPlan;
import io.autoheal.eip.CandidateInstance;
import io.autoheal.eip.PoolAddress;
import io.autoheal.eip.PoolInputs;
import io.autoheal.eip.PoolObserver;
import io.autoheal.eip.PoolReporter;
import io.autoheal.fleet.FleetInstance;
import io.autoheal.kube.Conditions;
import io.autoheal.kube.StatusChange;
import io.autoheal.metrics.ClusterMetrics;
import io.autoheal.metrics.PoolMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One pass of the operator's pure parts over a synthetic fleet, step by step, as the reconcilers run them against
 * the inventory port — served by the operator's real inventory (AwsInventory over FleetInventory, whose RegionSnapshot
 * RegionReader builds from AWS's canned SDK answers, refreshed once per resync as in production, and groups in
 * transition read on their own): every cluster's view, every cluster's health decision (with
 * ClusterObserver's own input mapping) and status, every pool's observation (PoolObserver, PoolInputs), allocation
 * plan and status (each status compared with the last one, as before a write). No I/O, no framework: what is left out
 * (JOSDK, informers, serialization of writes) is listed in docs/performance.md.
 */
final class FleetPass {
    enum Step {
        JOIN("inventory join: the region's refresh (once per resync) and every cluster's view (inventory port)"),
        DECIDE("health decisions (HealthDecider)"),
        CLUSTER_STATUS("cluster statuses (ClusterReporter + change check)"),
        POOL_PLAN("pool plans (PoolObserver + PoolInputs + AddressAllocator.plan)"),
        POOL_STATUS("pool statuses (PoolReporter + change check)"),
        FILL("initial fill: AddressAllocator.plan, every machine waiting"),
        REFRESH("of which: one full refresh alone (RegionReader over AWS's pages into a RegionSnapshot)");

        final String label;

        Step(String label) {
            this.label = label;
        }

        /** FILL is not part of a steady-state pass, and REFRESH is already in JOIN; both are measured on their own. */
        boolean inPass() {
            return this != FILL && this != REFRESH;
        }
    }

    /** CPU time and bytes allocated by the bench's thread during one step. */
    record Cost(long cpuNanos, long allocatedBytes) {
    }

    static final HealthPolicy POLICY = new HealthPolicy(Duration.ofMinutes(10), Duration.ofMinutes(5), new HealthPolicy.MaxUnhealthy(40, true),
            10, Duration.ofSeconds(30), Duration.ZERO, false);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    private final SyntheticFleet fleet;
    private final ClusterReporter clusterReporter;
    private final PoolReporter poolReporter;
    private final AwsNotices notices;
    /** Per pool, the clusters naming it: what the pool reconciler's informer maps to it. */
    private final Map<String, List<HealingCluster>> naming;
    private Map<String, HealingClusterStatus> previousClusters = Map.of();
    private Map<String, ElasticIpPoolStatus> previousPools = Map.of();

    // What one pass produced: kept for the heap measure and the status sizes.
    final Map<String, ClusterObservation> observed = new LinkedHashMap<>();
    final Map<String, HealingPlan> plans = new LinkedHashMap<>();
    final Map<String, HealingClusterStatus> clusterStatuses = new LinkedHashMap<>();
    final Map<String, AllocationPlan> poolPlans = new LinkedHashMap<>();
    final Map<String, ElasticIpPoolStatus> poolStatuses = new LinkedHashMap<>();
    int statusesChanged;

    FleetPass(SyntheticFleet fleet) {
        this.fleet = fleet;
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SilentEvents events = new SilentEvents();
        this.clusterReporter = new ClusterReporter(new ClusterMetrics(registry), events,
                new io.autoheal.cluster.launch.LaunchFailureReporter(events, new io.autoheal.metrics.LaunchMetrics(registry)));
        this.poolReporter = new PoolReporter(events, new PoolMetrics(registry), new SilentEvents.Notifier(new PoolMetrics(registry)));
        this.notices = new AwsNotices(fleet.clock);
        this.naming = fleet.resources.stream().collect(Collectors.groupingBy(hc -> hc.getSpec().elasticIps.poolRef, HashMap::new, Collectors.toList()));
    }

    /** The statuses of this pass become the ones the next pass compares with (the API server's copy). */
    void adoptStatuses() {
        previousClusters = Map.copyOf(clusterStatuses);
        previousPools = Map.copyOf(poolStatuses);
    }

    /** One steady-state pass at {@code now}; the cost of each step. */
    Map<Step, Cost> run(Instant now) {
        // the inventory's clock: a pass a resync after the last one finds the region's snapshot due for a refresh
        Duration ahead = Duration.between(fleet.clock.instant(), now);
        if (!ahead.isNegative()) {
            fleet.clock.advance(ahead);
        }
        Map<Step, Cost> costs = new EnumMap<>(Step.class);
        statusesChanged = 0;
        timed(Step.JOIN, costs, this::join);
        timed(Step.DECIDE, costs, () -> decide(now));
        timed(Step.CLUSTER_STATUS, costs, () -> clusterStatuses(now));
        timed(Step.POOL_PLAN, costs, this::poolPlans);
        timed(Step.POOL_STATUS, costs, () -> poolStatuses(now));
        return costs;
    }

    /** One full refresh of the region on its own (it is also inside every pass's JOIN, once per resync). */
    Cost refresh() {
        Map<Step, Cost> costs = new EnumMap<>(Step.class);
        timed(Step.REFRESH, costs, () -> {
            if (fleet.refresh().groupNames().size() != fleet.clusters) {
                throw new IllegalStateException("the refresh misses groups");
            }
        });
        return costs.get(Step.REFRESH);
    }

    /** The allocator with every address free and every machine waiting (the pool's first fill); not part of a pass. */
    Cost fill() {
        PoolObserver observer = new PoolObserver(fleet.world);
        Map<String, List<PoolAddress>> addresses = new HashMap<>();
        Map<String, List<CandidateInstance>> candidates = new HashMap<>();
        for (ElasticIpPool pool : fleet.pools) {
            List<ObservedAddress> free = observer.addresses(pool, AwsScope.own(SyntheticFleet.REGION), io.autoheal.fleet.Installations.LEGACY).stream().map(a -> new ObservedAddress(a.allocationId(),
                    a.publicIp(), null, null, null, Map.of(Tags.POOL, pool.ownerKey()))).toList();
            List<HealingCluster> clusters = clusters(observer, pool);
            addresses.put(pool.ownerKey(), PoolInputs.addresses(free, io.autoheal.eip.PoolClaim.of("default", pool)));
            candidates.put(pool.ownerKey(), PoolInputs.candidates(observer.instances(AwsScope.own(SyntheticFleet.REGION), clusters), clusters, free));
        }
        Map<Step, Cost> costs = new EnumMap<>(Step.class);
        timed(Step.FILL, costs, () -> addresses.keySet().forEach(pool -> {
            AllocationPlan plan = AddressAllocator.plan(addresses.get(pool), candidates.get(pool));
            if (plan.associate().isEmpty()) {
                throw new IllegalStateException("the initial fill of " + pool + " associated nothing");
            }
        }));
        return costs.get(Step.FILL);
    }

    private void join() {
        observed.clear();
        for (HealingCluster hc : fleet.resources) {
            String asg = SyntheticFleet.asgName(hc.getMetadata().getName());
            ClusterObservation view = fleet.world.observeCluster(AwsScope.own(SyntheticFleet.REGION), asg, false);
            if (view.asg().map(g -> g.members().size()).orElse(-1) != view.instances().size()) {
                throw new IllegalStateException("the inventory misses members of " + asg);
            }
            observed.put(hc.ownerKey(), view);
        }
    }

    private void decide(Instant now) {
        plans.clear();
        for (HealingCluster hc : fleet.resources) {
            HealingClusterStatus previous = previousClusters.getOrDefault(hc.ownerKey(), new HealingClusterStatus());
            plans.put(hc.ownerKey(), HealthDecider.decide(ClusterObserver.machines(observed.get(hc.ownerKey()), previous, Map.of(), notices), POLICY,
                    hc.getSpec().capacity.desired, List.of(), Set.of(), now));
        }
    }

    private void clusterStatuses(Instant now) {
        clusterStatuses.clear();
        for (HealingCluster hc : fleet.resources) {
            String key = hc.ownerKey();
            HealingClusterStatus previous = previousClusters.getOrDefault(key, new HealingClusterStatus());
            HealingPlan plan = plans.get(key);
            ClusterObservation observation = observed.get(key);
            var outcome = new ClusterActuator.Outcome(SyntheticFleet.asgName(hc.getMetadata().getName()),
                    observation.asg().map(ObservedAsg::launchTemplateId).orElse(null), observation, List.of(), Optional.empty(),
                    Optional.of(new ClusterPlan(plan, List.of(), List.of(), List.of(), List.of(), Optional.empty())),
                    ClusterBootstrapper.Result.none(), ClusterDrainer.Result.none(), Optional.of(plan.nextCheck()));
            HealingClusterStatus status = clusterReporter.report(hc, previous, outcome, io.autoheal.cluster.ClusterReferences.Resolved.none(),
                    io.autoheal.fleet.Installations.LEGACY, new Conditions(previous.conditions, hc.getMetadata().getGeneration(), now), AwsScope.own(SyntheticFleet.REGION), now);
            clusterReporter.announce(hc, previous, status, outcome);
            if (StatusChange.changed(previous, status)) {
                statusesChanged++;
            }
            clusterStatuses.put(key, status);
        }
    }

    /** Per pool, as the pool reconciler runs it: its addresses and its clusters' instances through the port, then the plan. */
    private void poolPlans() {
        poolPlans.clear();
        PoolObserver observer = new PoolObserver(fleet.world);
        for (ElasticIpPool pool : fleet.pools) {
            List<ObservedAddress> addresses = observer.addresses(pool, AwsScope.own(SyntheticFleet.REGION), io.autoheal.fleet.Installations.LEGACY);
            List<HealingCluster> clusters = clusters(observer, pool);
            List<FleetInstance> instances = observer.instances(AwsScope.own(SyntheticFleet.REGION), clusters);
            poolPlans.put(pool.ownerKey(), AddressAllocator.plan(PoolInputs.addresses(addresses, io.autoheal.eip.PoolClaim.of("default", pool)), PoolInputs.candidates(instances, clusters, addresses)));
        }
    }

    private List<HealingCluster> clusters(PoolObserver observer, ElasticIpPool pool) {
        return observer.clusters(pool, naming.getOrDefault(pool.getMetadata().getName(), List.of()), AwsScope.own(SyntheticFleet.REGION), SyntheticFleet.REGION);
    }

    private void poolStatuses(Instant now) {
        poolStatuses.clear();
        for (ElasticIpPool pool : fleet.pools) {
            String key = pool.ownerKey();
            ElasticIpPoolStatus previous = previousPools.getOrDefault(key, new ElasticIpPoolStatus());
            ElasticIpPoolStatus status = poolReporter.report(pool, previous, new Conditions(previous.conditions, pool.getMetadata().getGeneration(), now),
                    AwsScope.own(SyntheticFleet.REGION), poolPlans.get(key), now);
            if (StatusChange.changed(previous, status)) {
                statusesChanged++;
            }
            poolStatuses.put(key, status);
        }
    }

    /** The largest status of each kind as JSON, in bytes (what a status write would send). */
    long largestClusterStatus() {
        return clusterStatuses.values().stream().mapToLong(FleetPass::jsonBytes).max().orElse(0);
    }

    long largestPoolStatus() {
        return poolStatuses.values().stream().mapToLong(FleetPass::jsonBytes).max().orElse(0);
    }

    static long jsonBytes(Object status) {
        try {
            return JSON.writeValueAsBytes(status).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a status", e);
        }
    }

    private static void timed(Step step, Map<Step, Cost> into, Runnable work) {
        long thread = Thread.currentThread().getId();
        long cpu = THREADS.getCurrentThreadCpuTime();
        long allocated = THREADS.getThreadAllocatedBytes(thread);
        work.run();
        into.put(step, new Cost(THREADS.getCurrentThreadCpuTime() - cpu, THREADS.getThreadAllocatedBytes(thread) - allocated));
    }
}
