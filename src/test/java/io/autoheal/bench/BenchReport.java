package io.autoheal.bench;

import io.autoheal.bench.FleetPass.Cost;
import io.autoheal.bench.FleetPass.Step;
import io.autoheal.bench.SyntheticFleet.Layout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The bench's results as Markdown: the verdicts, then one section per measurement. Written to target/bench/results.md
 * and between the markers of docs/performance.md (so the committed page holds the latest run).
 */
final class BenchReport {
    static final String BEGIN = "<!-- bench-results:begin (written by make bench) -->";
    static final String END = "<!-- bench-results:end -->";

    private final StringBuilder md = new StringBuilder();

    BenchReport(String header, List<Verdicts.Verdict> verdicts, List<CallsResult> calls, List<ReactionResult> reactions,
                List<PureFleetBench.Measured> pure) {
        md.append(header).append("\n\n");
        verdicts(verdicts);
        calls(calls);
        reactions(reactions);
        pure(pure);
        writes(calls);
    }

    String markdown() {
        return md.toString();
    }

    void write(Path results, Path doc) throws IOException {
        Files.createDirectories(results.getParent());
        Files.writeString(results, md);
        if (doc == null) {
            return;
        }
        String page = Files.exists(doc) ? Files.readString(doc) : "";
        int b = page.indexOf(BEGIN);
        int e = page.indexOf(END);
        String block = BEGIN + "\n" + md + END;
        Files.writeString(doc, b >= 0 && e > b ? page.substring(0, b) + block + page.substring(e + END.length()) : page + "\n" + block + "\n");
    }

    private void verdicts(List<Verdicts.Verdict> verdicts) {
        md.append("### Verdicts\n\n| # | goal | verdict | measured |\n|---|---|---|---|\n");
        verdicts.forEach(v -> md.append(String.format("| %s | %s | **%s** | %s |%n", v.id(), v.goal(), v.outcome(), v.measured())));
        md.append('\n');
    }

    private void calls(List<CallsResult> calls) {
        md.append(String.format("### 1. AWS calls per resync at steady state%n%n"
                + "Resync %d s; counted over %d resyncs after %d to settle. A *round* is one pass of every cluster; *calls per round* "
                + "is what one resync costs when the operator keeps up (the goal's measure); *rounds per resync* below 1 means moto "
                + "could not answer that many passes within a resync on this machine.%n%n", AwsCallsBench.RESYNC.toSeconds(),
                AwsCallsBench.WINDOW_RESYNCS, AwsCallsBench.SETTLE_RESYNCS));
        md.append("| mode | clusters | pools | calls per round | growth vs 1 cluster | calls per resync (as measured) | rounds per resync | pool passes per resync |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (CallsResult c : calls) {
            if (!c.measured()) {
                md.append(String.format("| %s | %d | %d | not measured: %s | | | | |%n", c.mode().label, c.clusters(), c.pools(), c.error()));
                continue;
            }
            String growth = Verdicts.growth(calls, c.mode(), c.clusters()).map(g -> String.format("%.1fx", g)).orElse("–");
            md.append(String.format("| %s | %d | %d | %.1f | %s | %.1f | %.2f | %.2f |%n", c.mode().label, c.clusters(), c.pools(),
                    c.callsPerRound(), growth, c.callsPerResync(), c.keepingUp(), c.poolPasses() / c.resyncs()));
        }
        List<CallsResult> measured = calls.stream().filter(CallsResult::measured).toList();
        if (measured.isEmpty()) {
            return;
        }
        md.append("\nCalls per round by operation (`autoheal_aws_requests_total{service,operation,outcome}` on the operator's /q/metrics):\n\n| operation |");
        measured.forEach(c -> md.append(' ').append(c.mode().label).append(' ').append(c.clusters()).append(" |"));
        md.append("\n|---|").append("---:|".repeat(measured.size())).append('\n');
        TreeSet<String> operations = new TreeSet<>();
        measured.forEach(c -> operations.addAll(c.calls().keySet()));
        for (String op : operations) {
            md.append("| ").append(op).append(" |");
            measured.forEach(c -> md.append(String.format(" %.1f |", c.perRound(op))));
            md.append('\n');
        }
        md.append('\n');
    }

    private void reactions(List<ReactionResult> reactions) {
        md.append(String.format("### 2. Reaction time: machine stopped → operator terminates it%n%n"
                + "%d clusters of %d machines, resync %d s (the default; the events mode: the sandbox's EventBridge → SQS queue and a resync of 5 min); one machine per cluster stopped (EC2 StopInstances in moto) "
                + "at seeded random moments spread over one resync; moto polled every %d ms.%n%n| mode | median | worst | samples (s) | poll took |%n"
                + "|---|---:|---:|---|---:|%n", ReactionBench.SAMPLES, BenchFleet.MACHINES, ReactionBench.RESYNC.toSeconds(),
                ReactionBench.POLL.toMillis()));
        for (ReactionResult r : reactions) {
            if (!r.measured()) {
                md.append(String.format("| %s | not measured: %s | | | |%n", r.label(), r.error()));
                continue;
            }
            md.append(String.format("| %s | %s | %s | %s%s | %.0f ms |%n", r.label(), seconds(r.median(), r.timeoutSeconds()),
                    seconds(r.worst(), r.timeoutSeconds()), String.join(", ", r.seconds().stream().map(s -> String.format("%.1f", s)).toList()),
                    r.timeouts() > 0 ? ", " + r.timeouts() + " × none within " + (long) r.timeoutSeconds() + " s" : "", r.pollLatencyMs()));
        }
        ReactionBench.PLANNED.forEach((label, goal) -> md.append(String.format("| %s | not built yet | | goal: %s | |%n", label, goal)));
        md.append('\n');
    }

    private void pure(List<PureFleetBench.Measured> pure) {
        md.append(String.format("### 3. Decision and inventory join at fleet scale (in-process, synthetic AWS answers)%n%n"
                + "%d machines per cluster, each with its Elastic IP; CPU time of the bench's thread, median of %d steady-state passes "
                + "(allocation in parentheses). Growth = 1,000 clusters ÷ 100 clusters (goal: about 10x).%n%n", PureFleetBench.MACHINES,
                PureFleetBench.REPETITIONS));
        if (pure.isEmpty()) {
            md.append("Not measured (see the log).\n\n");
            return;
        }
        md.append("| step |");
        for (Layout layout : Layout.values()) {
            md.append(String.format(" 100 clusters, %1$s | 1,000 clusters, %1$s | growth |", layout.label));
        }
        md.append("\n|---|").append("---:|---:|---:|".repeat(Layout.values().length)).append('\n');
        for (Step step : Step.values()) {
            md.append("| ").append(step.label).append(" |");
            for (Layout layout : Layout.values()) {
                Optional<PureFleetBench.Measured> t = Verdicts.tenth(pure, layout);
                Optional<PureFleetBench.Measured> f = full(pure, layout);
                md.append(cost(t.map(m -> m.median().get(step)))).append(cost(f.map(m -> m.median().get(step))));
                md.append(growth(t.map(m -> m.median().get(step).cpuNanos()), f.map(m -> m.median().get(step).cpuNanos())));
            }
            md.append('\n');
        }
        row(pure, "**full pass** (every step but the fill and the refresh alone)", m -> String.format("**%.1f ms** (%s)", m.passCpuNanos() / 1e6, bytes(m.passAllocated())),
                m -> m.passCpuNanos());
        row(pure, "retained heap (snapshot, resources, plans, statuses)", m -> bytes(m.retainedHeap()), m -> m.retainedHeap());
        row(pure, "largest cluster status (JSON)", m -> bytes(m.largestClusterStatus()), m -> m.largestClusterStatus());
        row(pure, "largest pool status (JSON)", m -> bytes(m.largestPoolStatus()), m -> m.largestPoolStatus());
        row(pure, "statuses changed in a steady pass (would be written; in the first pass)",
                m -> String.format("%d (%,d)", m.statusesChanged(), m.firstPassChanged()), null);
        md.append('\n');
    }

    private void row(List<PureFleetBench.Measured> pure, String label, java.util.function.Function<PureFleetBench.Measured, String> cell,
                     java.util.function.ToLongFunction<PureFleetBench.Measured> value) {
        md.append("| ").append(label).append(" |");
        for (Layout layout : Layout.values()) {
            Optional<PureFleetBench.Measured> t = Verdicts.tenth(pure, layout);
            Optional<PureFleetBench.Measured> f = full(pure, layout);
            md.append(' ').append(t.map(cell).orElse("–")).append(" | ").append(f.map(cell).orElse("–")).append(" |");
            md.append(value == null ? " |" : growth(t.map(value::applyAsLong), f.map(value::applyAsLong)));
        }
        md.append('\n');
    }

    private void writes(List<CallsResult> calls) {
        md.append("### 4. Kubernetes writes per resync at steady state\n\n"
                + "The API server's own `apiserver_request_total` over the same windows as measurement 1: status writes (`ApiServerMetrics.statusWrites`), "
                + "and every write verb (POST, PUT, PATCH, APPLY, DELETE) on the autoheal.io group and on Events.\n\n"
                + "| mode | clusters | cluster status writes | pool status writes | all autoheal.io + Event writes | per resync | status writes while becoming Ready |\n"
                + "|---|---:|---:|---:|---|---:|---:|\n");
        for (CallsResult c : calls) {
            if (!c.measured()) {
                md.append(String.format("| %s | %d | not measured | | | | |%n", c.mode().label, c.clusters()));
                continue;
            }
            String all = c.kubeWrites().isEmpty() ? "none" : String.join(", ", c.kubeWrites().entrySet().stream()
                    .map(e -> String.format("%s × %.0f", e.getKey(), e.getValue())).toList());
            md.append(String.format("| %s | %d | %d | %d | %s | %.2f | %d |%n", c.mode().label, c.clusters(), c.clusterStatusWrites(), c.poolStatusWrites(),
                    all, c.kubeWritesPerResync(), c.setupStatusWrites()));
        }
        md.append('\n');
    }

    private static Optional<PureFleetBench.Measured> full(List<PureFleetBench.Measured> pure, Layout layout) {
        return pure.stream().filter(p -> p.clusters() == PureFleetBench.FULL && p.layout() == layout).findFirst();
    }

    private static String cost(Optional<Cost> c) {
        return c.map(x -> String.format(" %.1f ms (%s) |", x.cpuNanos() / 1e6, bytes(x.allocatedBytes()))).orElse(" – |");
    }

    private static String growth(Optional<Long> tenth, Optional<Long> full) {
        if (tenth.isEmpty() || full.isEmpty() || tenth.get() <= 0) {
            return " – |";
        }
        return String.format(" %.1fx |", (double) full.get() / tenth.get());
    }

    static String bytes(long n) {
        if (n < 10 * 1024) {
            return String.format("%,d B", n);
        }
        if (n < 1024L * 1024) {
            return String.format("%.1f KiB", n / 1024.0);
        }
        return String.format("%.2f MiB", n / 1048576.0);
    }

    static String seconds(double s, double timeout) {
        return Double.isInfinite(s) ? "> " + (long) timeout + " s" : String.format("%.1f s", s);
    }
}
