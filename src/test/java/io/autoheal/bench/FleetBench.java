package io.autoheal.bench;

import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Moto;
import io.autoheal.testing.Sandbox;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code make bench}: issue 13's four measurements side by side in one run on this machine — AWS calls per resync
 * (packaged operator against moto, baseline and inventory), reaction time, the pure parts at fleet scale in this JVM,
 * and Kubernetes writes at steady state. Prints progress, a table and one verdict line per goal; writes
 * target/bench/results.md and the results block of docs/performance.md. A missed goal is a verdict, not a failure;
 * the run fails only when something could not be measured. Its name matches neither surefire's nor failsafe's
 * includes, so {@code make test} never runs it ({@code -Dit.test=FleetBench} does). Budget: -Dbench.budget (PT22M).
 */
class FleetBench {
    /** Cluster counts of measurement 1 (-Dbench.fleets=1,10 for a quicker look). */
    private static final List<Integer> FLEETS = java.util.Arrays.stream(System.getProperty("bench.fleets", "1,10,50").split(","))
            .map(String::trim).map(Integer::valueOf).toList();
    /** Which parts run (-Dbench.parts=pure for the in-process part alone); all by default. */
    private static final List<String> PARTS = List.of(System.getProperty("bench.parts", "pure,calls,reaction,probes,heal").split(","));

    @Test
    void bench() throws Exception {
        BenchClock clock = new BenchClock(Duration.parse(System.getProperty("bench.budget", "PT22M")));
        String started = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<String> problems = new ArrayList<>();

        clock.say("budget %d min; 1/4 in-process fleet", clock.budget().toMinutes());
        List<PureFleetBench.Measured> pure = List.of();
        if (PARTS.contains("pure")) {
            try {
                pure = new PureFleetBench(clock).run();
            } catch (RuntimeException e) {
                problems.add("in-process fleet: " + e);
                e.printStackTrace();
            }
        }

        List<String> namespaces = new ArrayList<>();
        List<CallsResult> calls = new ArrayList<>();
        List<ReactionResult> reactions = new ArrayList<>();
        boolean sandbox = PARTS.contains("calls") || PARTS.contains("reaction"); // the in-process part needs no sandbox
        if (sandbox) {
            Kubectl.run("apply", "--server-side", "--force-conflicts", "-f", Sandbox.root().resolve("crds").toString());
            Kubectl.awaitCrdsEstablished();
        }
        try {
            AwsCallsBench callsBench = new AwsCallsBench(clock, namespaces);
            Duration reactionReserve = PARTS.contains("reaction") ? ReactionBench.estimate().multipliedBy(ReactionBench.MODES.size()) : Duration.ZERO;
            for (Mode mode : PARTS.contains("calls") ? List.of(Mode.INVENTORY, Mode.BASELINE) : List.<Mode>of()) {
                for (int clusters : FLEETS) {
                    int pools = (clusters + BenchFleet.CLUSTERS_PER_POOL - 1) / BenchFleet.CLUSTERS_PER_POOL;
                    if (!clock.allows(AwsCallsBench.estimate(clusters).plus(reactionReserve))) {
                        clock.say("AWS calls, %s, %d clusters: SKIPPED, not enough time left in the budget", mode.label, clusters);
                        calls.add(CallsResult.failed(mode, clusters, pools, AwsCallsBench.RESYNC, "skipped: time budget"));
                        continue;
                    }
                    clock.say("2/4 + 4/4 AWS calls and Kubernetes writes, %s, %d cluster(s)", mode.label, clusters);
                    try {
                        calls.add(callsBench.run(mode, clusters));
                    } catch (Exception | AssertionError e) {
                        e.printStackTrace();
                        calls.add(CallsResult.failed(mode, clusters, pools, AwsCallsBench.RESYNC, e.toString()));
                    }
                }
            }
            ReactionBench reactionBench = new ReactionBench(clock, namespaces);
            for (Mode mode : PARTS.contains("reaction") ? ReactionBench.MODES : List.<Mode>of()) {
                if (!clock.allows(ReactionBench.estimate())) {
                    clock.say("reaction, %s: SKIPPED, not enough time left in the budget", mode.label);
                    reactions.add(ReactionResult.failed(mode.label, "skipped: time budget"));
                    continue;
                }
                clock.say("3/4 reaction time, %s", mode.label);
                try {
                    reactions.add(reactionBench.run(mode));
                } catch (Exception | AssertionError e) {
                    e.printStackTrace();
                    reactions.add(ReactionResult.failed(mode.label, e.toString()));
                }
            }
        } finally {
            if (sandbox) {
                clock.say("cleaning up %d namespaces and moto", namespaces.size());
                Moto.reset();
                BenchFleet.cleanUp(namespaces);
            }
        }

        ProbeBench.Result probes = null;
        if (PARTS.contains("probes")) {
            clock.say("5/5 probes: one prober, 10,000 machines at a 10 s period against a local listener");
            try {
                probes = ProbeBench.run(msg -> clock.say("probes: %s", msg));
            } catch (Exception | AssertionError e) {
                e.printStackTrace();
                problems.add("probes: " + e);
            }
        }

        List<TimeToHealBench.Result> heal = List.of();
        List<String> healNamespaces = new ArrayList<>();
        if (PARTS.contains("heal")) {
            clock.say("6/6 time to heal: a stopped machine of a cluster with a 20 s bootstrap, with a warm spare and without");
            Kubectl.run("apply", "--server-side", "--force-conflicts", "-f", Sandbox.root().resolve("crds").toString());
            Kubectl.awaitCrdsEstablished();
            try {
                heal = new TimeToHealBench(clock, healNamespaces).run();
                heal.stream().filter(r -> !r.measured()).forEach(r -> problems.add("time to heal " + r.label() + ": " + r.error()));
            } catch (Exception | AssertionError e) {
                e.printStackTrace();
                problems.add("time to heal: " + e);
            } finally {
                Moto.reset();
                BenchFleet.cleanUp(healNamespaces);
            }
        }

        calls.stream().filter(c -> !c.measured()).forEach(c -> problems.add("AWS calls " + c.mode().label + "/" + c.clusters() + ": " + c.error()));
        reactions.stream().filter(r -> !r.measured()).forEach(r -> problems.add("reaction " + r.label() + ": " + r.error()));
        List<Verdicts.Verdict> verdicts = Verdicts.of(calls, reactions, pure);
        BenchReport report = new BenchReport(header(started, loadAtStart, clock), verdicts, calls, reactions, pure);
        Path results = Sandbox.root().resolve("target/bench/results.md");
        boolean complete = PARTS.containsAll(List.of("pure", "calls", "reaction")) && FLEETS.equals(List.of(1, 10, 50));
        report.write(results, complete ? Sandbox.root().resolve("docs/performance.md") : null);
        System.out.println("\n" + report.markdown());
        verdicts.forEach(v -> System.out.println(v.line()));
        if (probes != null) {
            // issue 25's part: its own file (docs/performance.md, "Probes", quotes a run by hand)
            java.nio.file.Files.createDirectories(results.getParent());
            java.nio.file.Files.writeString(results.resolveSibling("probes.md"), "| machines | rate | CPU | extra heap | answers |\n|---|---|---|---|---|\n"
                    + probes.markdown() + "\n\n" + String.join("\n", probes.verdicts()) + "\n");
            probes.verdicts().forEach(System.out::println);
        }
        if (!heal.isEmpty()) {
            // issue 27's part: its own file (docs/performance.md, "Time to heal", quotes a run)
            java.nio.file.Files.createDirectories(results.getParent());
            java.nio.file.Files.writeString(results.resolveSibling("heal.md"), TimeToHealBench.report(heal) + "\n"
                    + String.join("\n", TimeToHealBench.verdicts(heal)) + "\n");
            System.out.println("\n" + TimeToHealBench.report(heal));
            TimeToHealBench.verdicts(heal).forEach(System.out::println);
        }
        System.out.println("\nresults: " + results + (complete ? " and docs/performance.md (commit it to publish)"
                : "; docs/performance.md left as it was (a partial run: -Dbench.parts / -Dbench.fleets)"));
        if (!problems.isEmpty()) {
            throw new AssertionError("make bench could not measure everything:\n  " + String.join("\n  ", problems));
        }
    }

    private static String header(String started, double loadAtStart, BenchClock clock) {
        double loadAtEnd = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return String.format("Measured %s by `make bench` on commit %s: %d cores, load average %.1f at the start and %.1f at the end "
                        + "(other work shared the machine), Java %s; the bench took %d min %02d s of its %d min budget.",
                started, commit(), Runtime.getRuntime().availableProcessors(), loadAtStart, loadAtEnd, System.getProperty("java.version"),
                clock.elapsed().toMinutes(), clock.elapsed().toSecondsPart(), clock.budget().toMinutes());
    }

    private static String commit() {
        try {
            Process p = new ProcessBuilder("git", "describe", "--always", "--dirty").directory(Sandbox.root().toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? "`" + out + "`" : "(unknown)";
        } catch (Exception e) {
            return "(unknown)";
        }
    }
}
