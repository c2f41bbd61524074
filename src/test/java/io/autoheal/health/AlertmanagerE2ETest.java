package io.autoheal.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Groups;
import io.autoheal.testing.SandboxResource;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real Prometheus rule, routed by a real Alertmanager (Debian's packages) to the in-process operator's
 * POST /alertmanager with the bearer token, replaces the one machine it fires for: the exporter stand-in (a local HTTP
 * server) reports service_up 0 for that machine and 1 for the others, exactly as the machines' exporters scraped
 * through /sd/targets would (label instance_id). Nothing connects outside loopback.
 */
@SandboxTest
class AlertmanagerE2ETest {
    static final Duration WAIT = Duration.ofSeconds(90);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("am").freshAws().deleteAfterEach("healingclusters");

    @Inject
    KubernetesClient client;

    @TestHTTPResource("/alertmanager")
    URL webhook;

    HealingCluster get(String name) {
        return client.resources(HealingCluster.class).inNamespace(ns.name()).withName(name).get();
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static Process start(Path dir, String log, String... command) throws Exception {
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
    }

    @Test
    void aRealRuleRoutedByARealAlertmanagerReplacesItsMachineOnly() throws Exception {
        ns.apply(ClusterManifest.named("am").capacity(1, 3, 4).alerts("MachineServiceDown").toYaml());
        await().ignoreExceptions().atMost(WAIT).until(() -> Groups.inService(ns, "am").size() == 3
                && get("am").getStatus() != null && get("am").getStatus().readyReplicas == 3);
        List<String> before = Groups.inService(ns, "am").stream().sorted().toList();
        String victim = before.get(0);

        HttpServer exporter = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        exporter.createContext("/metrics", x -> {
            StringBuilder body = new StringBuilder("# TYPE service_up gauge\n");
            before.forEach(id -> body.append("service_up{instance_id=\"").append(id).append("\"} ").append(id.equals(victim) ? 0 : 1).append('\n'));
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            x.sendResponseHeaders(200, bytes.length);
            x.getResponseBody().write(bytes);
            x.close();
        });
        exporter.start();
        Path dir = Files.createTempDirectory("autoheal-am-e2e");
        int amPort = freePort();
        int promPort = freePort();
        Files.writeString(dir.resolve("alertmanager.yml"), """
                route:
                  receiver: autoheal
                  group_by: [alertname, instance_id]
                  group_wait: 1s
                  group_interval: 2s
                  repeat_interval: 1m
                receivers:
                  - name: autoheal
                    webhook_configs:
                      - url: 'WEBHOOK'
                        send_resolved: true
                        http_config:
                          authorization: {type: Bearer, credentials: 'TOKEN'}
                """.replace("WEBHOOK", webhook.toString()).replace("TOKEN", SandboxResource.ALERTMANAGER_TOKEN));
        Files.writeString(dir.resolve("rules.yml"), """
                groups:
                  - name: machines
                    rules:
                      - alert: MachineServiceDown
                        expr: service_up == 0
                        labels: {autoheal: replace}
                        annotations: {summary: 'service down on {{ $labels.instance_id }}'}
                """);
        Files.writeString(dir.resolve("prometheus.yml"), """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                rule_files: [rules.yml]
                alerting:
                  alertmanagers: [{static_configs: [{targets: ['127.0.0.1:AMPORT']}]}]
                scrape_configs:
                  - job_name: machines
                    honor_labels: true
                    static_configs: [{targets: ['127.0.0.1:EXPORTER']}]
                """.replace("AMPORT", String.valueOf(amPort)).replace("EXPORTER", String.valueOf(exporter.getAddress().getPort())));
        List<Process> processes = new ArrayList<>();
        long start = System.nanoTime();
        try {
            processes.add(start(dir, "alertmanager.log", "/usr/bin/prometheus-alertmanager", "--config.file=" + dir.resolve("alertmanager.yml"),
                    "--storage.path=" + dir.resolve("am-data"), "--web.listen-address=127.0.0.1:" + amPort, "--cluster.listen-address=",
                    "--log.level=warn"));
            processes.add(start(dir, "prometheus.log", "/usr/bin/prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("prom-data"), "--web.listen-address=127.0.0.1:" + promPort, "--log.level=warn"));
            await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
                for (Process p : processes) {
                    assertThat(p.isAlive()).as(Files.readString(dir.resolve("alertmanager.log")) + Files.readString(dir.resolve("prometheus.log"))).isTrue();
                }
                assertThat(get("am").getStatus().recentRemediations).anyMatch(r -> r.instanceId.equals(victim) && r.reason.equals("AlertFiring"));
                assertThat(Groups.inService(ns, "am")).hasSize(3).doesNotContain(victim);
            });
            System.out.println("AlertmanagerE2ETest: rule -> Alertmanager -> operator -> replaced in "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms (Prometheus and Alertmanager start-up included)");
            assertThat(Groups.inService(ns, "am")).contains(before.get(1), before.get(2));
            assertThat(get("am").getStatus().recentRemediations).hasSize(1);
        } finally {
            for (Process p : processes) {
                p.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            exporter.stop(0);
        }
    }
}
