package io.autoheal.scale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** What one scale run measured, each figure with its goal (issue 27) and verdict. */
public final class ScaleResult {
    static final Duration COLD_START_GOAL = Duration.ofSeconds(120);
    static final long HEAP_GOAL = 512L << 20;
    static final Duration EVENT_GOAL = Duration.ofSeconds(2);
    static final Duration RESTART_GOAL = Duration.ofSeconds(60);

    private ScaleResult() {
    }

    /** Fleet created at once → every cluster Ready (10 machines, 10 Elastic IPs, Ready=True) and every pool Ready. */
    public record ColdStart(int clusters, int pools, int ready, Duration creating, Duration took, double reconciles, long awsWrites,
                            long peakHeap, long liveHeap, long rssKiB, long peakRssKiB) {
        public boolean allReady() {
            return ready == clusters;
        }

        double reconcilesPerSecond() {
            return reconciles / Math.max(0.001, took.toMillis() / 1000.0);
        }
    }

    /** A window of {@code rounds} resyncs with nothing changing. */
    /**
     * @param eventsAtReady Events the recorder still had to send when the fleet was Ready (the cold start's)
     * @param eventsDrained from then until all were sent (the window at rest starts after it and one resync)
     */
    public record AtRest(int rounds, Duration resync, Map<String, Long> requests, double reconciles, Map<String, Long> awsWrites,
                         int eventsAtReady, Duration eventsDrained, long eventsDropped) {
        public long apiWrites() {
            return requests.entrySet().stream().filter(e -> ApiRequests.isOperatorWrite(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        }

        public long apiRequests() {
            return requests.values().stream().mapToLong(Long::longValue).sum();
        }

        public long totalAwsWrites() {
            return awsWrites.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Stop → the operator's replaceInstance, per sample (null: no action within two resyncs); with what says the event
     * caused it: whether the event reached the operator's event sink before the action, and the time from the last pass
     * over the cluster before the stop to the action (null: not measured — the stop was not made right after a pass).
     */
    public record EventToAction(List<Duration> samples, List<Boolean> eventPlacedFirst, List<Duration> sincePassBefore) {
        public Duration worst() {
            return worst(samples);
        }

        public Duration median() {
            List<Duration> sorted = samples.stream().filter(Objects::nonNull).sorted().toList();
            return sorted.isEmpty() ? null : sorted.get(sorted.size() / 2);
        }

        /** The longest time from the pass before a stop to its action (null: some sample has none). */
        public Duration worstSincePassBefore() {
            return worst(sincePassBefore);
        }

        private static Duration worst(List<Duration> ds) {
            return ds.isEmpty() || ds.stream().anyMatch(Objects::isNull) ? null : ds.stream().max(Duration::compareTo).orElse(null);
        }
    }

    /** A new operator over the same fleet and custom resources: until one whole resync made no write, and its AWS writes. */
    public record Restart(Duration toSteady, boolean steady, Map<String, Long> awsWrites, double reconciles, long apiWrites,
                          Map<String, Long> requests) {
        public long totalAwsWrites() {
            return awsWrites.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    static Map<String, Long> diff(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((k, v) -> {
            long delta = v - before.getOrDefault(k, 0L);
            if (delta != 0) {
                d.put(k, delta);
            }
        });
        return d;
    }

    static String verdict(boolean pass) {
        return pass ? "**PASS**" : "**MISS**";
    }

    static String seconds(Duration d) {
        return d == null ? "none" : String.format("%.2f s", d.toMillis() / 1000.0);
    }

    static String mib(long bytes) {
        return String.format("%.0f MiB", bytes / 1048576.0);
    }

    /** The verdicts table: one row per goal. */
    static String verdicts(ColdStart cold, AtRest rest, EventToAction events, Restart restart) {
        List<String> rows = new ArrayList<>();
        rows.add("| figure | goal | verdict | measured |");
        rows.add("|---|---|---|---|");
        rows.add("| cold start to every cluster Ready | < 120 s | " + verdict(cold.allReady() && cold.took().compareTo(COLD_START_GOAL) < 0) + " | "
                + seconds(cold.took()) + " from the operator's start (" + cold.ready() + " of " + cold.clusters() + " Ready; the " + cold.clusters() + " clusters and "
                + cold.pools() + " pools existed before it started: creating them took " + seconds(cold.creating()) + ") |");
        rows.add("| reconciles per second | (shown) | | " + String.format("%.1f/s while becoming Ready (%d passes); at rest %.2f per cluster and pool per resync",
                cold.reconcilesPerSecond(), (long) cold.reconciles(), rest.reconciles() / rest.rounds() / (cold.clusters() + cold.pools())) + " |");
        rows.add("| heap (live, after GC, Ready fleet) | < 512 MiB | " + verdict(cold.liveHeap() < HEAP_GOAL) + " | " + mib(cold.liveHeap())
                + " live; peak used " + mib(cold.peakHeap()) + " (max heap " + mib(Memory.maxHeap()) + ") |");
        rows.add("| RSS of the JVM (operator + harness + in-memory AWS) | (shown) | | " + cold.rssKiB() / 1024 + " MiB now, peak "
                + cold.peakRssKiB() / 1024 + " MiB |");
        rows.add("| writes at rest (API server and AWS) | 0 | " + verdict(rest.apiWrites() == 0 && rest.totalAwsWrites() == 0) + " | "
                + rest.apiWrites() + " API writes, " + rest.totalAwsWrites() + " AWS writes in " + rest.rounds() + " resyncs of "
                + seconds(rest.resync()) + "; " + String.format("%.1f", (double) rest.apiRequests() / rest.rounds()) + " API requests per resync |");
        rows.add("| Events of the cold start sent (in the background) | (shown) | | " + rest.eventsAtReady() + " waiting after the cold start, all sent "
                + seconds(rest.eventsDrained()) + " later; " + rest.eventsDropped() + " dropped |");
        rows.add("| event → action (stop → replaceInstance) at rest | < 2 s | " + verdict(events.worst() != null && events.worst().compareTo(EVENT_GOAL) < 0)
                + " | median " + seconds(events.median()) + ", worst " + seconds(events.worst()) + " of " + events.samples().size() + " |");
        if (restart != null) {
            rows.add(restartRow(restart).strip());
        }
        return String.join("\n", rows) + "\n";
    }

    /** The restart's row of the verdicts table. */
    static String restartRow(Restart restart) {
        return "| restart → steady (every cluster passed over, one resync more) | < 60 s, 0 AWS writes | "
                + verdict(restart.steady() && restart.toSteady().compareTo(RESTART_GOAL) < 0 && restart.totalAwsWrites() == 0) + " | "
                + seconds(restart.toSteady()) + (restart.steady() ? "" : " (not steady)") + "; AWS writes " + restart.awsWrites()
                + ", API writes " + restart.apiWrites() + " |\n";
    }

    /** API requests in the window at rest, by verb and resource. */
    static String requestTable(AtRest rest) {
        StringBuilder t = new StringBuilder("| request | in the window | per resync |\n|---|---:|---:|\n");
        rest.requests().forEach((k, v) -> t.append("| ").append(k).append(" | ").append(v).append(" | ")
                .append(String.format("%.1f", (double) v / rest.rounds())).append(" |\n"));
        return t.toString();
    }
}
