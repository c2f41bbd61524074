package io.autoheal.monitoring;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Prometheus (scripts/prereqs.sh) on loopback, scraping one target's /q/metrics every second and
 * evaluating one rules file every second, with the parts of its HTTP API the monitoring tests read.
 */
final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process process;
    private final URI url;

    private PrometheusServer(Process process, URI url) {
        this.process = process;
        this.url = url;
    }

    /** Starts Prometheus with these rules, scraping {@code metricsUrl}; returns once it has scraped the target. */
    static PrometheusServer start(String rules, URL metricsUrl) throws Exception {
        String binary = Monitoring.tool("prometheus");
        Path workDir = Files.createTempDirectory("autoheal-prometheus");
        int port;
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.writeString(workDir.resolve("rules.yaml"), rules);
        Files.writeString(workDir.resolve("prometheus.yml"), """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                rule_files: [rules.yaml]
                scrape_configs:
                  - job_name: autoheal-operator
                    metrics_path: /q/metrics
                    static_configs: [{targets: ['TARGET']}]
                """.replace("TARGET", metricsUrl.getHost() + ":" + metricsUrl.getPort()));
        Process process = new ProcessBuilder(binary, "--config.file=" + workDir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + workDir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(workDir.resolve("prometheus.log").toFile()).start();
        PrometheusServer server = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port));
        System.out.println("[monitoring-e2e] prometheus " + server.url + " (config, rules and log in " + workDir + ")");
        try {
            await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("prometheus exited: " + Files.readString(workDir.resolve("prometheus.log")));
                }
                return server.get("/-/ready").statusCode() == 200;
            });
            await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() -> !server.query("up{job=\"autoheal-operator\"} == 1").isEmpty());
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    /** An instant query's result vector. */
    JsonNode query(String promql) throws Exception {
        return api("/api/v1/query?query=" + enc(promql)).path("result");
    }

    /** A range query's result matrix, one point a second. */
    JsonNode queryRange(String promql, Instant from, Instant to) throws Exception {
        return api("/api/v1/query_range?query=" + enc(promql) + "&start=" + from.getEpochSecond() + "&end=" + to.getEpochSecond()
                + "&step=1").path("result");
    }

    /** Every metric name Prometheus has. */
    Set<String> metricNames() throws Exception {
        Set<String> names = new TreeSet<>();
        api("/api/v1/label/__name__/values").forEach(n -> names.add(n.asText()));
        return names;
    }

    /** The label names of the first series of a metric. */
    Set<String> labelNames(String metric) throws Exception {
        Set<String> labels = new TreeSet<>();
        api("/api/v1/series?match[]=" + enc(metric)).get(0).fieldNames().forEachRemaining(labels::add);
        return labels;
    }

    /** The states (pending, firing) of an alert's instances in one namespace. */
    List<String> alertStates(String alertname, String namespace) throws Exception {
        List<String> states = new ArrayList<>();
        for (JsonNode a : api("/api/v1/alerts").path("alerts")) {
            if (alertname.equals(a.path("labels").path("alertname").asText()) && namespace.equals(a.path("labels").path("namespace").asText())) {
                states.add(a.path("state").asText());
            }
        }
        return states;
    }

    /** Prometheus' own verdict on every rule it loaded: evaluated, no error; and it loaded {@code expectedRules}. */
    List<String> ruleProblems(int expectedRules) throws Exception {
        List<String> failures = new ArrayList<>();
        int rules = 0;
        for (JsonNode g : api("/api/v1/rules").path("groups")) {
            for (JsonNode r : g.path("rules")) {
                rules++;
                if (!"ok".equals(r.path("health").asText())) {
                    failures.add("rule " + r.path("name").asText() + " health " + r.path("health").asText() + ": " + r.path("lastError").asText());
                }
            }
        }
        if (rules != expectedRules) {
            failures.add("Prometheus loaded " + rules + " rules, the rules file has " + expectedRules);
        }
        return failures;
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url.resolve(pathAndQuery)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode api(String pathAndQuery) throws Exception {
        HttpResponse<String> r = get(pathAndQuery);
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new AssertionError("prometheus " + pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
        }
        return body.path("data");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
