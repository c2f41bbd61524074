package io.autoheal.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.ElasticIpPoolStatus;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterStatus;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.bootstrap.ClusterBootstrapper;
import io.autoheal.cloud.ClusterObservation;
import io.autoheal.cloud.ObservedAddress;
import io.autoheal.cloud.ObservedAsg;
import io.autoheal.cloud.ObservedInstance;
import io.autoheal.cloud.Tags;
import io.autoheal.cloud.aws.RegionSnapshot;
import io.autoheal.cloud.aws.RegionSnapshots;
import io.autoheal.cluster.ClusterActuator;
import io.autoheal.cluster.ClusterHealer;
import io.autoheal.cluster.ClusterReporter;
import io.autoheal.cluster.healing.HealingPlan;
import io.autoheal.cluster.healing.HealthDecider;
import io.autoheal.cluster.healing.HealthPolicy;
import io.autoheal.cluster.healing.MachineState;
import io.autoheal.eip.AddressAllocator;
import io.autoheal.eip.AllocationPlan;
import io.autoheal.eip.CandidateInstance;
import io.autoheal.eip.InstanceState;
import io.autoheal.eip.PoolAddress;
import io.autoheal.eip.PoolReporter;
import io.autoheal.kube.Conditions;
import io.autoheal.kube.StatusChange;
import io.autoheal.metrics.ClusterMetrics;
import io.autoheal.metrics.PoolMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * One pass of the operator's pure parts over a synthetic fleet, step by step, as the reconcilers run them against
 * the inventory: the region snapshot and every cluster's view of it, every cluster's health decision and status,
 * every pool's allocation plan and status (each status compared with the last one, as before a write). No I/O, no
 * framework: what is left out (JOSDK, informers, serialization of writes) is listed in docs/performance.md.
 */
final class FleetPass {
    enum Step {
        JOIN("inventory join: snapshot + every cluster's view"),
        DECIDE("health decisions (HealthDecider)"),
        CLUSTER_STATUS("cluster statuses (ClusterReporter + change check)"),
        POOL_PLAN("pool plans (AddressAllocator.plan)"),
        POOL_STATUS("pool statuses (PoolReporter + change check)"),
        FILL("initial fill: AddressAllocator.plan, every machine waiting");

        final String label;

        Step(String label) {
            this.label = label;
        }

        /** FILL is not part of a steady-state pass; it is measured on its own. */
        boolean inPass() {
            return this != FILL;
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
    private Map<String, HealingClusterStatus> previousClusters = Map.of();
    private Map<String, ElasticIpPoolStatus> previousPools = Map.of();

    // What one pass produced: kept for the heap measure and the status sizes.
    RegionSnapshot snapshot;
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
    }

    /** The statuses of this pass become the ones the next pass compares with (the API server's copy). */
    void adoptStatuses() {
        previousClusters = Map.copyOf(clusterStatuses);
        previousPools = Map.copyOf(poolStatuses);
    }

    /** One steady-state pass at {@code now}; the cost of each step. */
    Map<Step, Cost> run(Instant now) {
        Map<Step, Cost> costs = new EnumMap<>(Step.class);
        statusesChanged = 0;
        timed(Step.JOIN, costs, () -> join(now));
        timed(Step.DECIDE, costs, () -> decide(now));
        timed(Step.CLUSTER_STATUS, costs, () -> clusterStatuses(now));
        timed(Step.POOL_PLAN, costs, () -> poolPlans(snapshot.addresses()));
        timed(Step.POOL_STATUS, costs, () -> poolStatuses(now));
        return costs;
    }

    /** The allocator with every address free and every machine waiting (the pool's first fill); not part of a pass. */
    Cost fill() {
        List<ObservedAddress> free = RegionSnapshots.of(SyntheticFleet.NOW, List.of(), List.of(), List.of(), fleet.freeAddresses()).addresses();
        Map<String, List<PoolAddress>> addresses = new HashMap<>();
        Map<String, List<CandidateInstance>> candidates = new HashMap<>();
        inputs(free).forEach((pool, in) -> {
            addresses.put(pool, in.addresses());
            candidates.put(pool, in.candidates());
        });
        Map<Step, Cost> costs = new EnumMap<>(Step.class);
        timed(Step.FILL, costs, () -> addresses.keySet().forEach(pool -> {
            AllocationPlan plan = AddressAllocator.plan(addresses.get(pool), candidates.get(pool));
            if (plan.associate().isEmpty()) {
                throw new IllegalStateException("the initial fill of " + pool + " associated nothing");
            }
        }));
        return costs.get(Step.FILL);
    }

    private void join(Instant now) {
        snapshot = RegionSnapshots.of(now, fleet.groups, fleet.instances, fleet.statuses, fleet.addresses);
        observed.clear();
        for (HealingCluster hc : fleet.resources) {
            String asg = SyntheticFleet.asgName(hc.getMetadata().getName());
            if (!snapshot.complete(asg)) {
                throw new IllegalStateException("the snapshot misses members of " + asg);
            }
            observed.put(hc.ownerKey(), snapshot.cluster(asg, Set.of()).orElseThrow());
        }
    }

    private void decide(Instant now) {
        plans.clear();
        for (HealingCluster hc : fleet.resources) {
            HealingClusterStatus previous = previousClusters.getOrDefault(hc.ownerKey(), new HealingClusterStatus());
            plans.put(hc.ownerKey(), HealthDecider.decide(machines(observed.get(hc.ownerKey()), previous), POLICY, hc.getSpec().capacity.desired,
                    List.of(), Set.of(), now));
        }
    }

    /** As ClusterHealer builds the decision's input: the group's members, their EC2 view, what the last status remembered. */
    private static List<MachineState> machines(ClusterObservation observed, HealingClusterStatus previous) {
        Map<String, InstanceStatus> before = new HashMap<>();
        previous.instances.forEach(r -> before.put(r.instanceId, r));
        List<MachineState> out = new ArrayList<>();
        for (ObservedAsg.AsgMember m : observed.asg().map(ObservedAsg::members).orElse(List.of())) {
            ObservedInstance i = observed.instances().get(m.instanceId());
            InstanceStatus row = before.get(m.instanceId());
            Instant since = row == null || row.unhealthySince == null ? null : Instant.parse(row.unhealthySince);
            out.add(new MachineState(m.instanceId(), i.launchTime(), i.state(), m.lifecycleState(), "Healthy".equalsIgnoreCase(m.healthStatus()),
                    i.statusCheck(), since, MachineState.Bootstrap.NOT_REQUIRED, i.skipRemediation()));
        }
        return out;
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
                    Optional.of(new ClusterHealer.Result(plan, List.of())), ClusterBootstrapper.Result.none(), Optional.of(plan.nextCheck()));
            HealingClusterStatus status = clusterReporter.report(hc, previous, outcome, Optional.empty(),
                    new Conditions(previous.conditions, hc.getMetadata().getGeneration(), now), SyntheticFleet.REGION, now);
            if (StatusChange.changed(previous, status)) {
                statusesChanged++;
            }
            clusterStatuses.put(key, status);
        }
    }

    private void poolPlans(List<ObservedAddress> regionAddresses) {
        poolPlans.clear();
        inputs(regionAddresses).forEach((pool, in) -> poolPlans.put(pool, AddressAllocator.plan(in.addresses(), in.candidates())));
    }

    private record PoolInputs(List<PoolAddress> addresses, List<CandidateInstance> candidates) {
    }

    /**
     * Per pool, the allocator's inputs as the pool reconciler builds them (PoolObserver + PoolInputs): the region's
     * addresses tagged with the pool, sorted; the instances of the clusters naming it, from the snapshot.
     */
    private Map<String, PoolInputs> inputs(List<ObservedAddress> regionAddresses) {
        Map<String, List<ObservedAddress>> byPool = regionAddresses.stream()
                .collect(Collectors.groupingBy(a -> a.tags().getOrDefault(Tags.POOL, ""), HashMap::new, Collectors.toList()));
        Map<String, List<String>> clustersByPool = new LinkedHashMap<>();
        for (HealingCluster hc : fleet.resources) {
            clustersByPool.computeIfAbsent(SyntheticFleet.NAMESPACE + "/" + hc.getSpec().elasticIps.poolRef, k -> new ArrayList<>()).add(hc.ownerKey());
        }
        Map<String, PoolInputs> out = new LinkedHashMap<>();
        clustersByPool.forEach((pool, clusterKeys) -> {
            List<PoolAddress> addresses = byPool.getOrDefault(pool, List.of()).stream().sorted(Comparator.comparing(ObservedAddress::allocationId))
                    .map(a -> new PoolAddress(a.allocationId(), a.publicIp(), a.instanceId(), a.associationId(),
                            a.associationId() != null && a.instanceId() == null, a.tags().get(Tags.ASSIGNED_CLUSTER), a.tags().get(Tags.ASSIGNED_INSTANCE)))
                    .toList();
            List<CandidateInstance> candidates = new ArrayList<>();
            for (Instance i : snapshot.clusterInstances(clusterKeys)) {
                String cluster = i.tags().stream().filter(t -> Tags.CLUSTER.equals(t.key())).map(t -> t.value()).findFirst().orElseThrow();
                candidates.add(new CandidateInstance(i.instanceId(), cluster, InstanceState.of(i.state().nameAsString()), i.launchTime(),
                        i.placement() == null ? null : i.placement().availabilityZone(), false));
            }
            out.put(pool, new PoolInputs(addresses, candidates));
        });
        return out;
    }

    private void poolStatuses(Instant now) {
        poolStatuses.clear();
        for (ElasticIpPool pool : fleet.pools) {
            String key = pool.ownerKey();
            ElasticIpPoolStatus previous = previousPools.getOrDefault(key, new ElasticIpPoolStatus());
            ElasticIpPoolStatus status = poolReporter.report(pool, previous, new Conditions(previous.conditions, pool.getMetadata().getGeneration(), now),
                    SyntheticFleet.REGION, poolPlans.get(key), now);
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
