package io.autoheal.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Manifest;
import io.autoheal.testing.Moto;
import io.autoheal.testing.PoolManifest;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Application probes end to end (operator in-process, real API server, moto): the probes go to the machines' Elastic
 * IPs (moto hands them out in 127.0.0.0/8) where {@link LoopbackServices} stands in for their services. The test
 * operator may probe only 127.0.0.0/8 (autoheal.health.probe-allowed-cidrs, %test profile).
 */
@SandboxTest
class ProbesTest {
    static final Duration SETTLE = Duration.ofSeconds(90);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("probe").freshAws().deleteAfterEach("healingclusters,elasticippools");

    @Inject
    KubernetesClient client;

    @TestHTTPResource("/q/metrics")
    URL metricsUrl;

    LoopbackServices services;

    @BeforeEach
    void listen() throws Exception {
        services = new LoopbackServices();
    }

    @AfterEach
    void close() throws Exception {
        services.close();
    }

    @Test
    void aMachineAnswering503IsReplacedWithinPeriodTimesThresholdPlus5sAndItsSuccessorKeepsItsElasticIp() {
        ns.apply(Manifest.join(PoolManifest.named("web-ips").allocate(3), ClusterManifest.named("web").capacity(3, 3, 3).poolRef("web-ips")
                .probe("{name: web, http: {port: " + services.httpPort() + ", path: /healthz}, address: ElasticIp, periodSeconds: 1,"
                        + " failureThreshold: 2}")));
        Map<String, String> ips = await().ignoreExceptions().atMost(SETTLE).until(() -> elasticIps("web"),
                m -> m.size() == 3 && m.values().stream().allMatch(ip -> LoopbackServices.hits(services.httpHits, ip) >= 2));
        String victim = ips.keySet().stream().sorted().findFirst().orElseThrow();
        String victimIp = ips.get(victim);
        assertThat(victimIp).startsWith("127.");

        long started = System.nanoTime();
        services.http503.add(victimIp);
        await().atMost(Duration.ofSeconds(1 * 2 + 5)).pollInterval(Duration.ofMillis(100))
                .until(() -> !"running".equals(state(victim)));
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        services.http503.remove(victimIp); // the service on this address is the successor's from now on
        System.out.printf("ProbesTest: 503 → replacement started in %d ms (bound %d ms)%n", tookMs, (1 * 2 + 5) * 1000);

        String successor = await().ignoreExceptions().atMost(SETTLE).until(() -> elasticIps("web").entrySet().stream()
                .filter(e -> !ips.containsKey(e.getKey()) && e.getValue().equals(victimIp)).map(Map.Entry::getKey).findFirst(), Optional::isPresent).get();
        ips.keySet().stream().filter(i -> !i.equals(victim)).forEach(i -> {
            assertThat(state(i)).as("the others untouched").isEqualTo("running");
            assertThat(elasticIps("web")).containsEntry(i, ips.get(i));
        });
        HealingCluster hc = cluster("web");
        assertThat(hc.getStatus().recentRemediations).singleElement().satisfies(r -> {
            assertThat(r.instanceId).isEqualTo(victim);
            assertThat(r.reason).isEqualTo("ProbeFailed");
        });
        ns.awaitEvent("Remediated", victim);
        assertThat(successor).isNotEqualTo(victim);
    }

    @Test
    void everyMachineFailingAtOnceBlocksRemediationAndNoneIsReplaced() throws Exception {
        ns.apply(Manifest.join(PoolManifest.named("all-ips").allocate(3), ClusterManifest.named("all").capacity(3, 3, 3).poolRef("all-ips")
                .probe("{name: web, http: {port: " + services.httpPort() + ", path: /healthz}, address: ElasticIp, periodSeconds: 1,"
                        + " failureThreshold: 2}")));
        Map<String, String> ips = await().ignoreExceptions().atMost(SETTLE).until(() -> elasticIps("all"),
                m -> m.size() == 3 && m.values().stream().allMatch(ip -> LoopbackServices.hits(services.httpHits, ip) >= 2));
        services.http503.addAll(ips.values()); // the service fails everywhere at once (a bad release, a shared dependency)
        try {
            await().atMost(Duration.ofSeconds(1 * 2 + 5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(Conditions.isTrue(cluster("all").getStatus().conditions, ConditionType.RemediationBlocked)).isTrue());
            // Watched over three more failure thresholds: nothing is replaced.
            for (int i = 0; i < 12; i++) {
                ips.keySet().forEach(id -> assertThat(state(id)).as(id + " never replaced").isEqualTo("running"));
                Thread.sleep(500);
            }
            HealingCluster hc = cluster("all");
            assertThat(hc.getStatus().recentRemediations == null ? List.of() : hc.getStatus().recentRemediations).isEmpty();
            assertThat(hc.getStatus().instances).filteredOn(r -> "ProbeFailed".equals(r.reason)).hasSize(3);
        } finally {
            services.http503.removeAll(ips.values());
        }
    }

    @Test
    void tcpAndSipProbesReachEveryMachineAndAHungSipStackIsReplaced() {
        ns.apply(Manifest.join(PoolManifest.named("voice-ips").allocate(2), ClusterManifest.named("voice").capacity(2, 2, 2).poolRef("voice-ips")
                .maxUnhealthy("50%")
                .probe("{name: signalling, tcp: {port: " + services.tcpPort() + "}, address: ElasticIp, periodSeconds: 1}")
                .probe("{name: sip, sip: {port: " + services.sipPort() + ", transport: UDP}, address: ElasticIp, periodSeconds: 1,"
                        + " failureThreshold: 2}")));
        Map<String, String> ips = await().ignoreExceptions().atMost(SETTLE).until(() -> elasticIps("voice"),
                m -> m.size() == 2 && m.values().stream().allMatch(ip -> LoopbackServices.hits(services.tcpHits, ip) >= 2
                        && LoopbackServices.hits(services.sipHits, ip) >= 2));
        assertThat(cluster("voice").getStatus().instances).allSatisfy(r -> assertThat(r.reason).isNull());

        String victim = ips.keySet().stream().sorted().findFirst().orElseThrow();
        services.sipSilent.add(ips.get(victim));
        await().atMost(Duration.ofSeconds(2 * 2 + 5)).pollInterval(Duration.ofMillis(100)).until(() -> !"running".equals(state(victim)));
        services.sipSilent.remove(ips.get(victim));
        assertThat(cluster("voice").getStatus().recentRemediations).singleElement().satisfies(r -> assertThat(r.reason).isEqualTo("ProbeFailed"));
        String other = ips.keySet().stream().filter(i -> !i.equals(victim)).findFirst().orElseThrow();
        assertThat(state(other)).isEqualTo("running");
    }

    @Test
    void aProbeToAPrivateAddressOutsideTheAllowedRangeIsNeverSentAndTheRefusalIsReported() throws Exception {
        ns.apply(ClusterManifest.named("inside").capacity(1, 1, 1)
                .probe("{name: app, tcp: {port: 9}, address: PrivateIp, periodSeconds: 1, failureThreshold: 1}").toYaml());
        await().ignoreExceptions().atMost(SETTLE).untilAsserted(() -> {
            HealingCluster hc = cluster("inside");
            assertThat(Conditions.find(hc.getStatus().conditions, ConditionType.ProbesRefused)).hasValueSatisfying(c -> {
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getMessage()).contains("probe app", "outside autoheal.health.probe-allowed-cidrs (127.0.0.0/8)");
            });
        });
        HealingCluster hc = cluster("inside");
        InstanceStatus row = hc.getStatus().instances.get(0);
        assertThat(row.privateIp).as("moto's private range").startsWith("172.31.");
        assertThat(hc.getStatus().conditions.stream().filter(c -> c.getType().equals("ProbesRefused")).findFirst().orElseThrow().getMessage())
                .contains(row.privateIp);
        Thread.sleep(2_000); // two more periods: still nothing sent
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(metricsUrl.toString())).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String series = "namespace=\"" + ns.name() + "\"";
        List<String> mine = metrics.lines().filter(l -> l.contains(series) && l.startsWith("autoheal_probe")).toList();
        assertThat(mine).as("refusals counted").anyMatch(l -> l.startsWith("autoheal_probe_refused_total") && !l.endsWith(" 0.0"));
        assertThat(mine).as("no probe was answered or failed: none was sent")
                .noneMatch(l -> l.startsWith("autoheal_probe_failures_total") || l.startsWith("autoheal_probes_total"));
        assertThat(hc.getStatus().instances).allSatisfy(r -> assertThat(r.reason).isNull());
        ns.awaitEvent("ProbeAddressRefused", "outside autoheal.health.probe-allowed-cidrs");
    }

    private HealingCluster cluster(String name) {
        return client.resources(HealingCluster.class).inNamespace(ns.name()).withName(name).get();
    }

    /** Running machines of a cluster and their Elastic IP (machines without one left out). */
    private Map<String, String> elasticIps(String name) {
        String key = ns.name() + "/" + name;
        return Moto.ec2().describeInstances(b -> b.filters(f -> f.name("tag:autoheal.io/cluster").values(key),
                        f -> f.name("instance-state-name").values("running")))
                .reservations().stream().flatMap(r -> r.instances().stream()).map(Instance::instanceId)
                .map(id -> Map.entry(id, Optional.ofNullable(eipOf(id)).orElse("")))
                .filter(e -> !e.getValue().isEmpty()).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static String eipOf(String instanceId) {
        return Moto.ec2().describeAddresses(b -> b.filters(f -> f.name("instance-id").values(instanceId))).addresses().stream()
                .filter(a -> instanceId.equals(a.instanceId())).map(a -> a.publicIp()).sorted().findFirst().orElse(null);
    }

    private static String state(String instanceId) {
        return Moto.ec2().describeInstances(b -> b.instanceIds(instanceId)).reservations().get(0).instances().get(0).state().nameAsString();
    }
}
