package io.autoheal.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The healing event's key series over its whole span, as JSON for scripts/monitoring/plot.py — written only when
 * AUTOHEAL_MONITORING_DUMP names a file.
 */
final class EventPlot {
    private EventPlot() {
    }

    /** Writes the series of cluster web and pool edge-eips of {@code namespace}, with the event's marks (epoch seconds). */
    static void dump(PrometheusServer prometheus, String namespace, Instant from, Instant to, Map<String, Long> marks) throws Exception {
        String target = System.getenv("AUTOHEAL_MONITORING_DUMP");
        if (target == null || target.isBlank()) {
            return;
        }
        String n = namespace;
        Map<String, String> series = new LinkedHashMap<>();
        series.put("instances", "max by (state) (autoheal_cluster_instances{namespace=\"" + n + "\",cluster=\"web\"})");
        series.put("ready", "max(autoheal_cluster_ready_replicas{namespace=\"" + n + "\",cluster=\"web\"})");
        series.put("pool", "max by (state) (autoheal_eip_pool_addresses{namespace=\"" + n + "\",pool=\"edge-eips\"})");
        series.put("waiting", "max(autoheal_eip_pool_waiting_instances{namespace=\"" + n + "\",pool=\"edge-eips\"})");
        series.put("exhausted", "max(autoheal_eip_pool_exhausted{namespace=\"" + n + "\",pool=\"edge-eips\"})");
        series.put("remediations", "sum by (reason) (autoheal_remediations_total{namespace=\"" + n + "\",cluster=\"web\"})");
        series.put("associations", "sum by (outcome) (autoheal_eip_associations_total{namespace=\"" + n + "\",pool=\"edge-eips\"})");
        series.put("alerts", "max by (alertname, alertstate) (ALERTS{namespace=\"" + n + "\"})");
        series.put("josdk_started", "sum by (controller_name) (reconciliations_started_total)");
        series.put("josdk_failed", "sum by (controller_name) (reconciliations_failure_total)");
        ObjectMapper json = new ObjectMapper();
        ObjectNode dump = json.createObjectNode();
        dump.put("namespace", n).put("start", from.getEpochSecond()).put("end", to.getEpochSecond()).put("scrape_interval_seconds", 1);
        ObjectNode events = dump.putObject("events");
        marks.forEach(events::put);
        ObjectNode data = dump.putObject("series");
        for (Map.Entry<String, String> e : series.entrySet()) {
            data.set(e.getKey(), prometheus.queryRange(e.getValue(), from, to));
        }
        Files.writeString(Path.of(target), json.writerWithDefaultPrettyPrinter().writeValueAsString(dump));
        System.out.println("[monitoring-e2e] wrote the event's series to " + target + " (python3 scripts/monitoring/plot.py --dump " + target + ")");
    }
}
