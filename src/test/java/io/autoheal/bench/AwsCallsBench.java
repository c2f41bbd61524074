package io.autoheal.bench;

import io.autoheal.testing.ApiServerMetrics;
import io.autoheal.testing.Moto;
import io.autoheal.testing.OperatorProcess;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Measurements 1 and 4: the packaged operator in a fresh namespace with N clusters of 3 machines and their pools,
 * against a freshly reset moto; once everything is Ready with its Elastic IPs and has settled for two resyncs, the
 * operator's AWS calls and the API server's write requests are counted over a window of {@value #WINDOW_RESYNCS}
 * resyncs.
 */
final class AwsCallsBench {
    static final Duration RESYNC = Duration.ofSeconds(5);
    static final int SETTLE_RESYNCS = 2;
    /**
     * Ten resyncs: the inventory caches lifecycle hooks for ten resyncs (FleetInventory.HOOK_TTL_RESYNCS), and clusters
     * created together re-read them together; a shorter window would catch that burst whole or not at all.
     */
    static final int WINDOW_RESYNCS = 10;
    private static final Set<String> WRITE_VERBS = Set.of("POST", "PUT", "PATCH", "APPLY", "DELETE", "DELETECOLLECTION");

    private final BenchClock clock;
    private final List<String> namespaces;

    AwsCallsBench(BenchClock clock, List<String> namespaces) {
        this.clock = clock;
        this.namespaces = namespaces;
    }

    /** A generous upper bound of one run, to skip it rather than overrun the budget. */
    static Duration estimate(int clusters) {
        return Duration.ofSeconds(45 + 5L * clusters / 2).plus(RESYNC.multipliedBy(SETTLE_RESYNCS + WINDOW_RESYNCS));
    }

    static Duration readyTimeout(int clusters) {
        return Duration.ofSeconds(90 + 5L * clusters);
    }

    CallsResult run(Mode mode, int clusters) throws Exception {
        String what = "AWS calls, " + mode.label + ", " + clusters + " cluster(s)";
        Moto.reset();
        BenchFleet fleet = BenchFleet.create("calls-" + mode.label + "-" + clusters, clusters, true);
        namespaces.add(fleet.namespace);
        String apiAtApply = ApiServerMetrics.scrape();
        fleet.apply();
        Map<String, String> env = new HashMap<>(mode.env());
        env.put("AUTOHEAL_WATCH_NAMESPACES", fleet.namespace);
        env.put("AUTOHEAL_RESYNC_INTERVAL", RESYNC.toSeconds() + "s");
        try (OperatorProcess operator = OperatorProcess.start("bench-" + mode.label + "-" + clusters, env)) {
            clock.say("%s: operator started (port %d), %d clusters and %d pools applied in %s", what, operator.port(), clusters,
                    fleet.pools, fleet.namespace);
            if (!fleet.awaitReady(readyTimeout(clusters), clock, what)) {
                return failed(mode, fleet, "not every cluster was Ready with its Elastic IPs within " + readyTimeout(clusters).toSeconds()
                        + " s", operator);
            }
            BenchClock.sleep(RESYNC.multipliedBy(SETTLE_RESYNCS));
            clock.say("%s: settled; counting over %d resyncs of %d s", what, WINDOW_RESYNCS, RESYNC.toSeconds());
            PromText opBefore = PromText.scrapeOperator(operator.port());
            String apiBefore = ApiServerMetrics.scrape();
            long start = System.nanoTime();
            BenchClock.sleep(RESYNC.multipliedBy(WINDOW_RESYNCS));
            PromText opAfter = PromText.scrapeOperator(operator.port());
            long end = System.nanoTime();
            String apiAfter = ApiServerMetrics.scrape();
            if (!operator.alive()) {
                return failed(mode, fleet, "the operator died during the window", operator);
            }
            CallsResult r = result(mode, fleet, Duration.ofNanos(end - start), opBefore, opAfter, apiBefore, apiAfter, statusWrites(apiBefore)
                    - statusWrites(apiAtApply));
            clock.say("%s: %.0f calls in %.1f s, %.1f rounds of %d clusters → %.1f calls per round, %.1f per resync; %.2f Kubernetes writes per resync",
                    what, r.totalCalls(), r.window().toMillis() / 1000.0, r.rounds(), clusters, r.callsPerRound(), r.callsPerResync(),
                    r.kubeWritesPerResync());
            return r;
        }
    }

    private CallsResult failed(Mode mode, BenchFleet fleet, String why, OperatorProcess operator) throws Exception {
        clock.say("%s/%d: NOT MEASURED: %s; operator log tail:%n%s", mode.label, fleet.clusters, why, tail(operator.log(), 30));
        return CallsResult.failed(mode, fleet.clusters, fleet.pools, RESYNC, why);
    }

    static String tail(String log, int lines) {
        List<String> all = log.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static CallsResult result(Mode mode, BenchFleet fleet, Duration window, PromText opBefore, PromText opAfter,
                                      String apiBefore, String apiAfter, long setupStatusWrites) {
        Map<String, Double> calls = opAfter.growth(opBefore, "autoheal_aws_requests_total", s -> true,
                s -> s.label("service") + " " + s.label("operation") + ("success".equals(s.label("outcome")) ? "" : " [" + s.label("outcome") + "]"));
        double clusterPasses = passes(opBefore, opAfter, "healingcluster");
        double poolPasses = passes(opBefore, opAfter, "elasticippool");
        PromText before = PromText.parse(apiBefore);
        PromText after = PromText.parse(apiAfter);
        Map<String, Double> writes = after.growth(before, "apiserver_request_total",
                s -> WRITE_VERBS.contains(s.label("verb")) && ("autoheal.io".equals(s.label("group")) || "events".equals(s.label("resource"))),
                s -> s.label("resource") + (s.label("subresource").isEmpty() ? "" : "/" + s.label("subresource")) + " " + s.label("verb"));
        return new CallsResult(mode, fleet.clusters, fleet.pools, RESYNC, window, calls, clusterPasses, poolPasses,
                ApiServerMetrics.statusWrites(apiAfter, "healingclusters") - ApiServerMetrics.statusWrites(apiBefore, "healingclusters"),
                ApiServerMetrics.statusWrites(apiAfter, "elasticippools") - ApiServerMetrics.statusWrites(apiBefore, "elasticippools"),
                writes, setupStatusWrites, null);
    }

    private static long statusWrites(String apiMetrics) {
        return ApiServerMetrics.statusWrites(apiMetrics, "healingclusters") + ApiServerMetrics.statusWrites(apiMetrics, "elasticippools");
    }

    private static double passes(PromText before, PromText after, String controller) {
        return after.sum("autoheal_reconciliations_total", s -> controller.equals(s.label("controller")))
                - before.sum("autoheal_reconciliations_total", s -> controller.equals(s.label("controller")));
    }
}
