package io.autoheal.bench;

import io.autoheal.bench.FleetPass.Cost;
import io.autoheal.bench.FleetPass.Step;
import io.autoheal.bench.SyntheticFleet.Layout;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Measurement 3: the operator's inventory and pure parts over a synthetic fleet in this JVM (AWS's answers canned as
 * SDK objects, read by the real RegionReader/FleetInventory) — 1,000 clusters of 10 machines with
 * 10,000 addresses in one pool and in a pool per cluster, and the same at 1/10 scale for the growth. Each figure is
 * the median of {@value #REPETITIONS} steady-state passes (after a pass that produced the "previous" statuses and a
 * warm-up at 1/10 scale for the JIT); CPU time of the bench's thread, not wall time, so other load on the machine
 * matters less.
 */
final class PureFleetBench {
    static final int MACHINES = 10;
    static final int FULL = 1000;
    static final int TENTH = 100;
    static final int REPETITIONS = 3;

    /** One scale and layout, measured. */
    record Measured(int clusters, Layout layout, Map<Step, Cost> median, long largestClusterStatus, long largestPoolStatus,
                    int statusesChanged, int firstPassChanged, long retainedHeap) {
        int machines() {
            return clusters * MACHINES;
        }

        long passCpuNanos() {
            return median.entrySet().stream().filter(e -> e.getKey().inPass()).mapToLong(e -> e.getValue().cpuNanos()).sum();
        }

        long passAllocated() {
            return median.entrySet().stream().filter(e -> e.getKey().inPass()).mapToLong(e -> e.getValue().allocatedBytes()).sum();
        }
    }

    private final BenchClock clock;

    PureFleetBench(BenchClock clock) {
        this.clock = clock;
    }

    List<Measured> run() {
        clock.say("in-process fleet: warm-up at %d clusters", TENTH);
        for (Layout layout : Layout.values()) {
            measure(TENTH, layout);
        }
        List<Measured> out = new ArrayList<>();
        for (int clusters : List.of(TENTH, FULL)) {
            for (Layout layout : Layout.values()) {
                Measured m = measure(clusters, layout);
                clock.say("in-process fleet, %,d clusters / %,d machines, %s: pass %.0f ms CPU, retained heap %.1f MiB, largest pool status %,d bytes",
                        clusters, m.machines(), layout.label, m.passCpuNanos() / 1e6, m.retainedHeap() / 1048576.0, m.largestPoolStatus());
                out.add(m);
            }
        }
        return out;
    }

    private Measured measure(int clusters, Layout layout) {
        long before = usedAfterGc();
        SyntheticFleet fleet = new SyntheticFleet(clusters, MACHINES, layout);
        FleetPass pass = new FleetPass(fleet);
        pass.run(SyntheticFleet.NOW);
        int first = pass.statusesChanged;
        pass.adoptStatuses();
        List<Map<Step, Cost>> runs = new ArrayList<>();
        for (int r = 0; r < REPETITIONS; r++) {
            runs.add(pass.run(SyntheticFleet.NOW.plus(Duration.ofSeconds(30L * (r + 1)))));
        }
        int changed = pass.statusesChanged;
        List<Cost> fills = new ArrayList<>();
        List<Cost> refreshes = new ArrayList<>();
        for (int r = 0; r < REPETITIONS; r++) {
            fills.add(pass.fill());
            refreshes.add(pass.refresh());
        }
        // What the inventory's snapshot does not keep of AWS's answers is garbage after a refresh; the snapshot itself
        // (held by the inventory behind fleet.world, as the operator holds it between passes) stays in the measure.
        fleet.dropAnswers();
        long retained = usedAfterGc() - before;
        Map<Step, Cost> median = new EnumMap<>(Step.class);
        for (Step step : Step.values()) {
            List<Cost> costs = step == Step.FILL ? fills : step == Step.REFRESH ? refreshes : runs.stream().map(c -> c.get(step)).toList();
            median.put(step, median(costs));
        }
        Measured m = new Measured(clusters, layout, median, pass.largestClusterStatus(), pass.largestPoolStatus(), changed, first, retained);
        Reference.reachabilityFence(pass);
        Reference.reachabilityFence(fleet);
        return m;
    }

    private static Cost median(List<Cost> costs) {
        List<Long> cpu = costs.stream().map(Cost::cpuNanos).sorted().toList();
        List<Long> allocated = costs.stream().map(Cost::allocatedBytes).sorted(Comparator.naturalOrder()).toList();
        return new Cost(cpu.get(cpu.size() / 2), allocated.get(allocated.size() / 2));
    }

    /** Heap in use after full collections: the live set. */
    static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            BenchClock.sleep(Duration.ofMillis(100));
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
