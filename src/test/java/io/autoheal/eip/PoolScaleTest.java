package io.autoheal.eip;

import io.autoheal.fleet.AwsScope;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.ElasticIpPoolSpec;
import io.autoheal.api.v1alpha1.ElasticIpPoolStatus;
import io.autoheal.api.v1alpha1.PoolClusterUsage;
import io.autoheal.eip.AllocationPlan.AddressState;
import io.autoheal.eip.AllocationPlan.AddressView;
import io.autoheal.eip.AllocationPlan.Associate;
import io.autoheal.eip.AllocationPlan.Disassociate;
import io.autoheal.kube.Conditions;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import io.autoheal.metrics.PoolMetrics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;

/**
 * Pools of a hundred thousand addresses, in the fast tier: the allocator's invariants hold and the pool's status object
 * stays far below what the API server accepts (we keep it under 256 KiB; etcd refuses requests over 1.5 MiB), and the
 * work grows like n log n, not n² (a growth ratio, never an absolute time: machines are noisy). Oracles here are written
 * from the rules in O(n), independently of the implementation.
 */
class PoolScaleTest {
    static final int ADDRESSES = 100_000;
    static final int CLUSTERS = 1_000;
    static final int MAX_STATUS_BYTES = 256 * 1024;
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A random fleet of machines in {@code clusters} clusters, in every state, and {@code addresses} addresses:
     * most on machines (ours, some untagged, a few second addresses we placed), some on strangers and NAT gateways, the
     * rest free — never used, a former one of a machine (dead: a predecessor's), or of a cluster that is gone.
     */
    static AllocatorWorld fleet(Random r, int addresses, int clusters) {
        return fleet(r, addresses, addresses, clusters);
    }

    static AllocatorWorld fleet(Random r, int addresses, int machineCount, int clusters) {
        List<CandidateInstance> machines = new ArrayList<>();
        for (int i = 0; i < machineCount; i++) {
            int roll = r.nextInt(100);
            InstanceState state = roll < 84 ? InstanceState.RUNNING : roll < 88 ? InstanceState.PENDING : roll < 91 ? InstanceState.STOPPED
                    : roll < 92 ? InstanceState.STOPPING : roll < 96 ? InstanceState.TERMINATED : InstanceState.SHUTTING_DOWN;
            machines.add(new CandidateInstance("i-" + i, "ns/c" + r.nextInt(clusters), state,
                    T0.plusSeconds(r.nextInt(100_000)), r.nextInt(20) == 0 ? null : "zone-" + r.nextInt(3), r.nextInt(200) == 0));
        }
        List<CandidateInstance> holders = new ArrayList<>(machines);
        Collections.shuffle(holders, r);
        List<PoolAddress> pool = new ArrayList<>();
        int next = 0;
        for (int j = 0; pool.size() < addresses; j++) {
            String id = "eipalloc-" + j;
            String ip = "10." + (j >> 16 & 255) + "." + (j >> 8 & 255) + "." + (j & 255);
            int roll = r.nextInt(100);
            if (roll < 70 && next < holders.size()) {
                CandidateInstance holder = holders.get(next++);
                boolean tagged = r.nextInt(20) != 0;
                pool.add(new PoolAddress(id, ip, holder.instanceId(), "eipassoc-" + j, false, tagged ? holder.cluster() : null,
                        tagged ? holder.instanceId() : null));
                if (r.nextInt(500) == 0 && pool.size() < addresses) { // a second address we placed: two deciders raced
                    String dup = id + "-d";
                    pool.add(new PoolAddress(dup, ip + ".2", holder.instanceId(), "eipassoc-" + j + "-d", false, holder.cluster(),
                            holder.instanceId()));
                }
            } else if (roll < 72) {
                boolean staleTag = r.nextBoolean();
                pool.add(new PoolAddress(id, ip, "i-stranger-" + j, "eipassoc-" + j, false, staleTag ? "ns/c0001" : null,
                        staleTag ? "i-old-" + j : null));
            } else if (roll < 73) {
                pool.add(new PoolAddress(id, ip, null, "eipassoc-" + j, true, null, null));
            } else {
                int tags = r.nextInt(10);
                CandidateInstance last = machines.get(r.nextInt(machines.size()));
                pool.add(tags < 4 ? new PoolAddress(id, ip, null, null, false, null, null)
                        : tags < 7 ? new PoolAddress(id, ip, null, null, false, last.cluster(), last.instanceId())
                        : new PoolAddress(id, ip, null, null, false, "ns/gone", "i-gone-" + j));
            }
        }
        return new AllocatorWorld(pool, machines);
    }

    @Property(tries = 3, shrinking = ShrinkingMode.OFF)
    void aHundredThousandAddressesKeepEveryInvariantAndASmallStatus(@ForAll long seed) throws Exception {
        Random random = new Random(seed);
        // 85,000 to 115,000 machines: with more than about 100,000 the free addresses do not cover every waiting one.
        AllocatorWorld world = fleet(random, ADDRESSES, ADDRESSES * (85 + random.nextInt(31)) / 100, CLUSTERS);
        AllocationPlan plan = world.plan();
        Statistics.label("addresses").collect(plan.exhausted() ? "scarce" : "enough");

        assertInvariants(world, plan);
        ElasticIpPoolStatus status = report(plan, new ElasticIpPoolStatus());
        assertStatusAgrees(plan, status);
        assertThat(poolJsonBytes(status)).as("the whole ElasticIpPool as JSON").isLessThan(MAX_STATUS_BYTES);

        AllocatorWorld after = world.apply(plan); // fails on any action AWS would refuse (an address in use)
        Map<String, Integer> before = addressesPerInstance(world);
        assertThat(addressesPerInstance(after).entrySet().stream()
                .filter(e -> e.getValue() > 1 && e.getValue() > before.getOrDefault(e.getKey(), 0)).toList())
                .as("machines the plan gave a second address").isEmpty();
        AllocationPlan second = after.plan();
        assertThat(second.disassociate()).as("nothing left to free after one pass").isEmpty();
        assertInvariants(after, second);
        ElasticIpPoolStatus next = report(second, status);
        assertStatusAgrees(second, next);
        assertThat(poolJsonBytes(next)).isLessThan(MAX_STATUS_BYTES);
    }

    @Example
    void tenThousandMachinesInAThousandClustersFillAnEmptyPoolFairly() throws Exception {
        Random r = new Random(42);
        List<CandidateInstance> machines = IntStream.range(0, 10_000).mapToObj(i -> new CandidateInstance(String.format("i-%08x", i),
                String.format("ns/c%04d", i % CLUSTERS), InstanceState.RUNNING, T0.plusSeconds(r.nextInt(600)), "zone-" + r.nextInt(3),
                false)).toList();
        // 9,500 addresses for 10,000 machines: 500 wait, spread by water-filling.
        List<PoolAddress> addresses = IntStream.range(0, 9_500).mapToObj(j -> new PoolAddress(String.format("eipalloc-%08x", j),
                "10.0." + (j >> 8) + "." + (j & 255), null, null, false, null, null)).toList();
        AllocatorWorld world = new AllocatorWorld(addresses, machines);
        AllocationPlan plan = world.plan();

        assertInvariants(world, plan);
        assertThat(plan.associate()).hasSize(9_500);
        Map<String, Long> given = plan.associate().stream().collect(Collectors.groupingBy(Associate::cluster, Collectors.counting()));
        assertThat(given.values().stream().mapToLong(Long::longValue).max().orElseThrow()
                - given.values().stream().mapToLong(Long::longValue).min().orElseThrow()).as("water-filling").isLessThanOrEqualTo(1);
        ElasticIpPoolStatus status = report(plan, new ElasticIpPoolStatus());
        assertStatusAgrees(plan, status);
        assertThat(status.clusters).hasSize(CLUSTERS);
        assertThat(status.waiting).isEqualTo(500);
        assertThat(poolJsonBytes(status)).isLessThan(MAX_STATUS_BYTES);
    }

    /** Plan and report at n and 10n: quadratic work takes ~100 times as long, n log n ~12 (seen here: 8–22 on a loaded machine). */
    @Example
    void planAndReportGrowLikeNLogN() {
        AllocatorWorld small = fleet(new Random(7), ADDRESSES / 10, CLUSTERS);
        AllocatorWorld large = fleet(new Random(7), ADDRESSES, CLUSTERS);
        bestSeconds(small, 3); // warm up the JIT
        double ratio = bestSeconds(large, 2) / bestSeconds(small, 5);
        System.out.printf("pool plan + report: 10x the addresses took %.1fx the time%n", ratio);
        assertThat(ratio).as("growth from %d to %d addresses", ADDRESSES / 10, ADDRESSES).isLessThan(50);
    }

    static double bestSeconds(AllocatorWorld world, int runs) {
        double best = Double.MAX_VALUE;
        ElasticIpPoolStatus previous = report(world.plan(), new ElasticIpPoolStatus());
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            report(world.plan(), previous);
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return best;
    }

    // ---- oracles, O(n), from the rules ----

    static Map<String, Integer> addressesPerInstance(AllocatorWorld w) {
        Map<String, Integer> out = new HashMap<>();
        w.addresses().stream().filter(a -> a.associatedInstanceId() != null && !a.associatedWithNonInstance())
                .forEach(a -> out.merge(a.associatedInstanceId(), 1, Integer::sum));
        return out;
    }

    static void assertInvariants(AllocatorWorld w, AllocationPlan plan) {
        Map<String, CandidateInstance> candidates = w.candidates().stream()
                .collect(Collectors.toMap(CandidateInstance::instanceId, Function.identity()));
        Map<String, PoolAddress> addresses = w.addresses().stream().collect(Collectors.toMap(PoolAddress::allocationId, Function.identity()));

        // No address on two machines, no second address on a machine, nothing given twice or given while being freed.
        List<String> broken = new ArrayList<>();
        Set<String> given = new HashSet<>();
        Set<String> served = new HashSet<>();
        Set<String> freed = plan.disassociate().stream().map(Disassociate::allocationId).collect(Collectors.toSet());
        Set<String> holding = w.addresses().stream().filter(a -> a.undoable() && !a.associatedWithNonInstance() && a.associatedInstanceId() != null
                        && candidates.containsKey(a.associatedInstanceId()) && candidates.get(a.associatedInstanceId()).state().alive())
                .map(PoolAddress::associatedInstanceId).collect(Collectors.toSet());
        for (Associate a : plan.associate()) {
            CandidateInstance c = candidates.get(a.instanceId());
            if (!given.add(a.allocationId()) || !served.add(a.instanceId()) || freed.contains(a.allocationId())
                    || addresses.get(a.allocationId()).associated() || !a.cluster().equals(c.cluster())
                    || !c.state().needsAddress() || c.carriesOtherElasticIp() || holding.contains(c.instanceId())) {
                broken.add(a.toString());
            }
        }
        assertThat(broken).as("associations AWS would refuse or that break a rule").isEmpty();

        // Foreign addresses are reported and never touched.
        Set<String> foreign = w.addresses().stream().filter(a -> AddressAllocatorPropertiesTest.foreign(a, candidates))
                .map(PoolAddress::allocationId).collect(Collectors.toSet());
        assertThat(plan.addresses().stream().filter(v -> v.state() == AddressState.FOREIGN).map(AddressView::allocationId)
                .collect(Collectors.toSet())).isEqualTo(foreign);
        assertThat(freed.stream().filter(foreign::contains).toList()).isEmpty();

        // Alive machines keep their (lowest) address; only dead or departed holders and our own duplicates are freed.
        Map<String, String> lowest = new HashMap<>();
        w.addresses().stream().filter(a -> a.associatedInstanceId() != null && !a.associatedWithNonInstance())
                .forEach(a -> lowest.merge(a.associatedInstanceId(), a.allocationId(), (x, y) -> x.compareTo(y) <= 0 ? x : y));
        List<Disassociate> wrongFree = plan.disassociate().stream().filter(d -> {
            CandidateInstance holder = candidates.get(d.instanceId());
            return holder != null && holder.state().alive() && (d.reason() != AllocationPlan.FreeReason.DUPLICATE_ON_INSTANCE
                    || lowest.get(d.instanceId()).equals(d.allocationId()));
        }).toList();
        assertThat(wrongFree).as("an alive machine loses its address").isEmpty();

        // Waiting machines reserved for their predecessor's address, then as many served as there are free addresses.
        Map<String, Integer> incoming = new TreeMap<>();
        for (PoolAddress a : w.addresses()) {
            CandidateInstance holder = a.undoable() && !a.associatedWithNonInstance() && a.associatedInstanceId() != null
                    ? candidates.get(a.associatedInstanceId()) : null;
            if (holder != null && !holder.state().alive() && holder.cluster().equals(a.lastCluster())) {
                incoming.merge(holder.cluster(), 1, Integer::sum);
            }
        }
        Map<String, Integer> needing = new TreeMap<>();
        w.candidates().stream().filter(c -> c.state().needsAddress() && !c.carriesOtherElasticIp() && !holding.contains(c.instanceId()))
                .forEach(c -> needing.merge(c.cluster(), 1, Integer::sum));
        Map<String, Integer> reserved = new TreeMap<>();
        needing.forEach((cluster, n) -> {
            int k = Math.min(n, incoming.getOrDefault(cluster, 0));
            if (k > 0) {
                reserved.put(cluster, k);
            }
        });
        assertThat(plan.awaitingRelease().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size())))
                .isEqualTo(reserved);
        int waiting = needing.values().stream().mapToInt(Integer::intValue).sum() - reserved.values().stream().mapToInt(Integer::intValue).sum();
        long freeBefore = w.addresses().stream().filter(a -> !a.associated()).count();
        assertThat(plan.associate()).hasSize((int) Math.min(freeBefore, waiting));
        assertThat(plan.waiting()).isEqualTo(waiting - plan.associate().size());
        assertThat(plan.unserved().values().stream().flatMap(List::stream).filter(served::contains).toList()).isEmpty();

        // Water-filling: a cluster that received an address holds at most one more than any cluster left waiting.
        Map<String, Integer> held = new HashMap<>();
        plan.addresses().stream().filter(v -> v.state() == AddressState.ASSIGNED).forEach(v -> held.merge(v.cluster(), 1, Integer::sum));
        plan.awaitingRelease().forEach((cluster, ids) -> held.merge(cluster, ids.size(), Integer::sum));
        int mostGiven = plan.associate().stream().mapToInt(a -> held.get(a.cluster())).max().orElse(Integer.MIN_VALUE);
        int leastWaiting = plan.unserved().keySet().stream().mapToInt(c -> held.getOrDefault(c, 0)).min().orElse(Integer.MAX_VALUE);
        assertThat(mostGiven).as("water-filling").isLessThanOrEqualTo(leastWaiting == Integer.MAX_VALUE ? leastWaiting : leastWaiting + 1);
    }

    static void assertStatusAgrees(AllocationPlan plan, ElasticIpPoolStatus s) {
        AllocationPlan.Counts counts = plan.counts();
        assertThat(List.of(s.total, s.free, s.assigned, s.foreign, s.releasing, s.refused, s.waiting)).containsExactly(counts.total(),
                counts.free(), counts.assigned(), counts.foreign(), counts.releasing(), 0, counts.waiting());
        assertThat(s.clustersOmitted).isNull();
        assertThat(s.clusters.stream().mapToInt(c -> c.assigned).sum()).isEqualTo(s.assigned);
        assertThat(s.clusters.stream().mapToInt(c -> c.waiting == null ? 0 : c.waiting).sum()).isEqualTo(s.waiting);
        assertThat(s.clusters).extracting((PoolClusterUsage c) -> c.name).isSorted().doesNotHaveDuplicates();
        assertThat(s.attention).hasSizeLessThanOrEqualTo(ElasticIpPoolStatus.MAX_ATTENTION_ROWS);
        assertThat(s.attention.size() + (s.attentionOmitted == null ? 0 : s.attentionOmitted)).isEqualTo(s.foreign + s.releasing);
    }

    // ---- the reporter as the reconciler calls it, without a cluster to send Events to ----

    static final PoolReporter REPORTER = new PoolReporter(new SilentEvents(), new PoolMetrics(new SimpleMeterRegistry()),
            new SilentNotifier());

    static ElasticIpPoolStatus report(AllocationPlan plan, ElasticIpPoolStatus previous) {
        return REPORTER.report(pool(), previous, new Conditions(previous.conditions, 1L, T0), AwsScope.own("eu-west-1"), plan, List.of(), T0);
    }

    static ElasticIpPool pool() {
        ElasticIpPool pool = new ElasticIpPool();
        pool.setMetadata(new ObjectMetaBuilder().withName("voip").withNamespace("ns").withGeneration(1L).build());
        pool.setSpec(new ElasticIpPoolSpec());
        pool.getSpec().selector = Map.of("team", "voip");
        return pool;
    }

    static int poolJsonBytes(ElasticIpPoolStatus status) throws Exception {
        ElasticIpPool pool = pool();
        pool.setStatus(status);
        return JSON.writeValueAsBytes(pool).length;
    }

    /** Records nothing: these tests look at the status, the Events are the end-to-end tests' business. */
    static final class SilentEvents extends EventRecorder {
        SilentEvents() {
            super(null, Clock.systemUTC());
        }

        @Override
        public void normal(HasMetadata target, Reason reason, String action, String message) {
        }

        @Override
        public void warning(HasMetadata target, Reason reason, String action, String message) {
        }
    }

    /** Sends nothing: the webhook is ExhaustionNotifierTest's business. */
    static final class SilentNotifier extends ExhaustionNotifier {
        SilentNotifier() {
            super(null, null, null);
        }

        @Override
        public void notify(String namespace, String pool, String text) {
        }
    }
}
