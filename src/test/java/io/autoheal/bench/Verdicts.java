package io.autoheal.bench;

import io.autoheal.bench.SyntheticFleet.Layout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One line per goal of issue 13's benchmark: PASS, FAIL, or why there is no verdict, with the numbers behind it. */
final class Verdicts {
    static final double CALLS_GROWTH_GOAL = 2.0;
    static final double PASS_CPU_GOAL_MS = 1000;
    static final long HEAP_GOAL = 256L << 20;
    static final long STATUS_GOAL = 256L << 10;
    /** "10x the fleet costs ~10x": 10x with 20 % for timer noise on a shared machine. */
    static final double LINEAR_GOAL = 12.0;

    record Verdict(String id, String goal, String outcome, String measured) {
        String line() {
            return String.format("GOAL %-2s %-58s %-13s %s", id, goal, outcome, measured);
        }
    }

    private Verdicts() {
    }

    static List<Verdict> of(List<CallsResult> calls, List<ReactionResult> reactions, List<PureFleetBench.Measured> pure) {
        List<Verdict> out = new ArrayList<>();
        out.add(calls(calls));
        out.add(reaction(reactions));
        out.addAll(pure(pure));
        out.add(kubeWrites(calls));
        return out;
    }

    /** Growth of calls per round from 1 to 50 clusters, for one mode. */
    static Optional<Double> growth(List<CallsResult> calls, Mode mode, int clusters) {
        Optional<CallsResult> one = find(calls, mode, 1);
        Optional<CallsResult> many = find(calls, mode, clusters);
        return one.isPresent() && many.isPresent() ? Optional.of(many.get().callsPerRound() / one.get().callsPerRound()) : Optional.empty();
    }

    static Optional<CallsResult> find(List<CallsResult> calls, Mode mode, int clusters) {
        return calls.stream().filter(c -> c.mode() == mode && c.clusters() == clusters && c.measured()).findFirst();
    }

    private static Verdict calls(List<CallsResult> calls) {
        String goal = "AWS calls: 50 clusters <= 2x the calls of 1 (inventory)";
        Optional<Double> inventory = growth(calls, Mode.INVENTORY, 50);
        Optional<Double> baseline = growth(calls, Mode.BASELINE, 50);
        String beside = baseline.map(b -> String.format("; baseline %.1fx", b)).orElse("; baseline not measured");
        return inventory.map(g -> new Verdict("1", goal, g <= CALLS_GROWTH_GOAL ? "PASS" : "FAIL", String.format("inventory %.1fx%s", g, beside)))
                .orElse(new Verdict("1", goal, "NOT MEASURED", "inventory runs missing" + beside));
    }

    /** The goal: with the event queue and a 5-minute resync, median and worst of the samples under 5 s. */
    static final double REACTION_GOAL_SECONDS = 5.0;

    private static Verdict reaction(List<ReactionResult> reactions) {
        List<String> parts = reactions.stream().map(r -> r.measured()
                ? String.format("%s median %.1f s, worst %s", r.label(), r.median(), BenchReport.seconds(r.worst(), r.timeoutSeconds()))
                : r.label() + " not measured (" + r.error() + ")").toList();
        String goal = "reaction, stop -> terminate: events (queue, resync 5m) median and worst < 5 s";
        var events = reactions.stream().filter(r -> r.label().equals(Mode.EVENTS.label)).findFirst();
        if (events.isEmpty() || !events.get().measured()) {
            return new Verdict("2", goal, "NOT MEASURED", String.join("; ", parts));
        }
        ReactionResult e = events.get();
        boolean pass = e.timeouts() == 0 && e.median() < REACTION_GOAL_SECONDS && e.worst() < REACTION_GOAL_SECONDS;
        return new Verdict("2", goal, pass ? "PASS" : "FAIL", String.join("; ", parts));
    }

    private static List<Verdict> pure(List<PureFleetBench.Measured> pure) {
        List<PureFleetBench.Measured> full = pure.stream().filter(m -> m.clusters() == PureFleetBench.FULL).toList();
        if (full.isEmpty()) {
            return List.of(new Verdict("3", "in-process fleet of 1,000 clusters", "NOT MEASURED", "see the log"));
        }
        List<Verdict> out = new ArrayList<>();
        List<String> cpu = new ArrayList<>();
        List<String> heap = new ArrayList<>();
        List<String> linear = new ArrayList<>();
        boolean cpuOk = true;
        boolean heapOk = true;
        boolean linearOk = true;
        long largest = 0;
        String largestWhat = "";
        for (PureFleetBench.Measured m : full) {
            double ms = m.passCpuNanos() / 1e6;
            cpuOk &= ms < PASS_CPU_GOAL_MS;
            cpu.add(String.format("%s %.0f ms", m.layout().label, ms));
            heapOk &= m.retainedHeap() < HEAP_GOAL;
            heap.add(String.format("%s %.0f MiB", m.layout().label, m.retainedHeap() / 1048576.0));
            Optional<PureFleetBench.Measured> tenth = tenth(pure, m.layout());
            if (tenth.isPresent()) {
                double g = (double) m.passCpuNanos() / tenth.get().passCpuNanos();
                linearOk &= g <= LINEAR_GOAL;
                linear.add(String.format("%s %.1fx", m.layout().label, g));
            } else {
                linearOk = false;
                linear.add(m.layout().label + " not measured at 1/10");
            }
            if (m.largestPoolStatus() > largest) {
                largest = m.largestPoolStatus();
                largestWhat = "pool status (" + m.layout().label + ")";
            }
            if (m.largestClusterStatus() > largest) {
                largest = m.largestClusterStatus();
                largestWhat = "cluster status";
            }
        }
        out.add(new Verdict("3a", "full pass of 1,000 clusters under 1 s CPU", cpuOk ? "PASS" : "FAIL", String.join("; ", cpu)));
        out.add(new Verdict("3b", "heap under 256 MiB", heapOk ? "PASS" : "FAIL", "retained: " + String.join("; ", heap)));
        out.add(new Verdict("3c", "every status object under 256 KiB", largest < STATUS_GOAL ? "PASS" : "FAIL",
                String.format("largest: %s %s", largestWhat, BenchReport.bytes(largest))));
        out.add(new Verdict("3d", "10x the fleet costs ~10x (<= 12x)", linearOk ? "PASS" : "FAIL", "full pass CPU: " + String.join("; ", linear)));
        return out;
    }

    static Optional<PureFleetBench.Measured> tenth(List<PureFleetBench.Measured> pure, Layout layout) {
        return pure.stream().filter(p -> p.clusters() == PureFleetBench.TENTH && p.layout() == layout).findFirst();
    }

    private static Verdict kubeWrites(List<CallsResult> calls) {
        String goal = "Kubernetes writes per resync at steady state: 0";
        List<CallsResult> measured = calls.stream().filter(CallsResult::measured).toList();
        if (measured.isEmpty()) {
            return new Verdict("4", goal, "NOT MEASURED", "no steady-state window");
        }
        double worst = measured.stream().mapToDouble(CallsResult::kubeWritesPerResync).max().orElse(0);
        long zero = measured.stream().filter(c -> c.kubeWritesPerResync() == 0).count();
        return new Verdict("4", goal, worst == 0 ? "PASS" : "FAIL",
                String.format("0 in %d of %d runs%s", zero, measured.size(), worst == 0 ? "" : String.format(", at worst %.1f per resync", worst)));
    }
}
