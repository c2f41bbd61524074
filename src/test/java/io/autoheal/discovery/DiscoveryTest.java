package io.autoheal.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.testing.Examples;
import io.autoheal.testing.Groups;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * examples/discovery.yaml against the real API server and moto: the Service, EndpointSlices and members ConfigMap hold
 * moto's machines (ids, private IPs, zones), the rendered HAProxy configuration passes haproxy -c, a real Prometheus
 * discovers the machines through /sd/targets, nothing is rewritten at rest, and a stopped machine leaves every list
 * before its replacement joins.
 */
@SandboxTest
class DiscoveryTest {
    static final Duration WAIT = Duration.ofSeconds(90);
    /** %test.autoheal.discovery.sd-token in application.properties. */
    static final String SD_TOKEN = "sd-test-token";
    static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("disc").freshAws().deleteAfterEach("healingclusters");

    @Inject
    KubernetesClient client;

    @TestHTTPResource("/sd/targets")
    URL sdUrl;

    /** Machine id → [private IP, zone], the group's InService members as moto has them. */
    Map<String, List<String>> motoMachines() {
        Set<String> ids = Groups.inService(ns, "web");
        Map<String, List<String>> out = new TreeMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        for (var r : Moto.ec2().describeInstances(b -> b.instanceIds(ids)).reservations()) {
            for (Instance i : r.instances()) {
                out.put(i.instanceId(), List.of(i.privateIpAddress(), i.placement().availabilityZone()));
            }
        }
        return out;
    }

    List<EndpointSlice> slices() {
        return client.discovery().v1().endpointSlices().inNamespace(ns.name()).withLabel("kubernetes.io/service-name", "web").list().getItems();
    }

    /** Published endpoints: id → [address, zone, ready]. */
    static Map<String, List<String>> endpoints(List<EndpointSlice> slices) {
        Map<String, List<String>> out = new TreeMap<>();
        for (EndpointSlice s : slices) {
            for (Endpoint e : s.getEndpoints() == null ? List.<Endpoint>of() : s.getEndpoints()) {
                out.put(e.getHostname(), List.of(e.getAddresses().get(0), e.getZone(), String.valueOf(e.getConditions().getReady())));
            }
        }
        return out;
    }

    /** The members.json of a ConfigMap: id → ready. */
    static Map<String, Boolean> membersJson(ConfigMap cm) throws Exception {
        Map<String, Boolean> out = new TreeMap<>();
        for (JsonNode m : JSON.readTree(cm.getData().get("members.json"))) {
            out.put(m.path("instanceId").asText(), m.path("ready").asBoolean());
        }
        return out;
    }

    ConfigMap members() {
        return client.configMaps().inNamespace(ns.name()).withName("web-members").get();
    }

    @Test
    void publishesTheMachinesInServiceAndDropsAFailedOneBeforeItsReplacementJoins() throws Exception {
        ns.apply(Examples.render("discovery.yaml"));
        // Both machines in moto and published as ready, with moto's addresses and zones.
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            Map<String, List<String>> moto = motoMachines();
            assertThat(moto).hasSize(2);
            Map<String, List<String>> expected = new TreeMap<>();
            moto.forEach((id, ipZone) -> expected.put(id, List.of(ipZone.get(0), ipZone.get(1), "true")));
            assertThat(endpoints(slices())).isEqualTo(expected);
            assertThat(membersJson(members())).containsOnlyKeys(moto.keySet()).doesNotContainValue(false);
        });
        Map<String, List<String>> machines = motoMachines();

        EndpointSlice slice = slices().get(0);
        assertThat(slice.getMetadata().getLabels()).containsEntry("endpointslice.kubernetes.io/managed-by", "autoheal.io");
        assertThat(slice.getAddressType()).isEqualTo("IPv4");
        assertThat(slice.getPorts()).extracting(p -> p.getName() + "/" + p.getPort() + "/" + p.getProtocol())
                .containsExactly("http/80/TCP", "metrics/9100/TCP");
        assertThat(slice.getEndpoints()).allSatisfy(e -> {
            assertThat(e.getHints().getForZones()).extracting(z -> z.getName()).containsExactly(e.getZone());
            assertThat(e.getConditions().getServing()).isTrue();
            assertThat(e.getConditions().getTerminating()).isFalse();
        });
        HealingCluster hc = client.resources(HealingCluster.class).inNamespace(ns.name()).withName("web").get();
        Service svc = client.services().inNamespace(ns.name()).withName("web").get();
        assertThat(svc.getSpec().getSelector()).isNullOrEmpty();
        assertThat(svc.getSpec().getPorts()).extracting(p -> p.getName() + "/" + p.getPort()).containsExactly("http/80", "metrics/9100");
        for (var owned : List.of(svc.getMetadata(), slice.getMetadata(), members().getMetadata())) {
            assertThat(owned.getOwnerReferences()).singleElement().satisfies(o -> {
                assertThat(o.getUid()).isEqualTo(hc.getMetadata().getUid());
                assertThat(o.getController()).isTrue();
            });
        }
        JsonNode first = JSON.readTree(members().getData().get("members.json")).get(0);
        String firstId = first.path("instanceId").asText();
        assertThat(first.path("privateIp").asText()).isEqualTo(machines.get(firstId).get(0));
        assertThat(first.path("zone").asText()).isEqualTo(machines.get(firstId).get(1));
        assertThat(first.path("env").asText()).isEqualTo("staging");
        assertThat(first.path("roles").get(0).asText()).isEqualTo("web");
        assertThat(first.path("launchTemplateVersion").asText()).isNotBlank();
        assertThat(hc.getStatus().conditions).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("DiscoveryPublished");
            assertThat(c.getStatus()).isEqualTo("True");
        });

        // The rendered HAProxy configuration lists both machines and is one HAProxy accepts.
        String haproxyCfg = members().getData().get("haproxy.cfg");
        machines.forEach((id, ipZone) -> assertThat(haproxyCfg).contains("server " + id + " " + ipZone.get(0) + ":80 check"));
        DiscoveryChecks.haproxyAccepts(haproxyCfg);

        // A real Prometheus discovers both machines through /sd/targets, with their labels (targets are down: nothing listens).
        String sd = "http://127.0.0.1:" + sdUrl.getPort() + "/sd/targets?namespace=" + ns.name() + "&cluster=web";
        try (SdPrometheus prometheus = SdPrometheus.start(sd, SD_TOKEN)) {
            await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Map<String, JsonNode> byInstance = new TreeMap<>();
                prometheus.activeTargets().forEach(t -> byInstance.put(t.path("labels").path("instance_id").asText(), t));
                assertThat(byInstance).containsOnlyKeys(machines.keySet());
                byInstance.forEach((id, t) -> {
                    JsonNode labels = t.path("labels");
                    assertThat(labels.path("instance").asText()).isEqualTo(machines.get(id).get(0) + ":9100");
                    assertThat(labels.path("namespace").asText()).isEqualTo(ns.name());
                    assertThat(labels.path("cluster").asText()).isEqualTo("web");
                    assertThat(labels.path("role").asText()).isEqualTo("web");
                    assertThat(labels.path("env").asText()).isEqualTo("staging");
                    assertThat(labels.path("zone").asText()).isEqualTo(machines.get(id).get(1));
                    assertThat(labels.path("job").asText()).isEqualTo("machines");
                });
            });
        }

        // At rest: no Service, EndpointSlice or ConfigMap write (counted by the API server as received).
        Thread.sleep(3000);
        long before = DiscoveryChecks.discoveryWrites();
        Thread.sleep(8000); // four resyncs of 2 s
        assertThat(DiscoveryChecks.discoveryWrites() - before).as("Service/EndpointSlice/ConfigMap writes at rest").isZero();

        // Stop one machine: it leaves (not ready) both lists before any replacement appears in them.
        List<Map<String, List<String>>> sliceTimeline = Collections.synchronizedList(new ArrayList<>());
        List<Map<String, Boolean>> jsonTimeline = Collections.synchronizedList(new ArrayList<>());
        String stopped = machines.keySet().iterator().next();
        try (Watch sliceWatch = client.discovery().v1().endpointSlices().inNamespace(ns.name()).withLabel("kubernetes.io/service-name", "web")
                .watch(DiscoveryChecks.recorder(s -> sliceTimeline.add(endpoints(List.of(s)))));
             Watch cmWatch = client.configMaps().inNamespace(ns.name()).withName("web-members").watch(DiscoveryChecks.recorder(cm -> {
                 try {
                     jsonTimeline.add(membersJson(cm));
                 } catch (Exception e) {
                     throw new IllegalStateException(e);
                 }
             }))) {
            Moto.ec2().stopInstances(b -> b.instanceIds(stopped));
            await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
                Map<String, List<String>> now = endpoints(slices());
                assertThat(now).doesNotContainKey(stopped).hasSize(2);
                assertThat(now.values()).allMatch(v -> v.get(2).equals("true"));
                assertThat(membersJson(members())).doesNotContainKey(stopped).hasSize(2).doesNotContainValue(false);
            });
        }
        String replacement = endpoints(slices()).keySet().stream().filter(id -> !machines.containsKey(id)).findFirst().orElseThrow();
        DiscoveryChecks.assertLeftBeforeReplacementJoined("EndpointSlice", stopped, replacement,
                sliceTimeline.stream().map(m -> m.entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> Boolean.parseBoolean(e.getValue().get(2))))).toList());
        DiscoveryChecks.assertLeftBeforeReplacementJoined("members.json", stopped, replacement, jsonTimeline);
        String after = members().getData().get("haproxy.cfg");
        assertThat(after).doesNotContain(stopped).contains("server " + replacement + " ");
        DiscoveryChecks.haproxyAccepts(after);
    }

    @Test
    void aTemplateThatDoesNotRenderKeepsThePreviousRenderingAndRemovingDiscoveryRemovesWhatWasPublished() throws Exception {
        ns.apply(Examples.render("discovery.yaml").replace("  name: web\nspec:", "  name: tmpl\nspec:")
                .replace("capacity: {min: 2, desired: 2, max: 3}", "capacity: {min: 1, desired: 1, max: 1}"));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() ->
                assertThat(configMap("tmpl-members").getData().get("haproxy.cfg")).containsPattern("server i-\\w+ [0-9.]+:80 check"));
        String rendered = configMap("tmpl-members").getData().get("haproxy.cfg");

        ns.kubectl("patch", "configmap", "web-haproxy-template", "--type=merge", "-p",
                "{\"data\":{\"haproxy.cfg.tmpl\":\"{#for m in ready}server {m.nosuchfield}{/for}\"}}");
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> assertThat(discoveryCondition("tmpl")).satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("TemplateRenderFailed");
            assertThat(c.getMessage()).contains("nosuchfield").contains("previous rendering stays");
        }));
        ns.awaitEvent("TemplateRenderFailed", "Warning ");
        assertThat(configMap("tmpl-members").getData().get("haproxy.cfg")).isEqualTo(rendered);
        assertThat(configMap("tmpl-members").getData().get("members.json")).contains("\"ready\" : true");

        ns.kubectl("patch", "hc", "tmpl", "--type=json", "-p", "[{\"op\":\"remove\",\"path\":\"/spec/discovery\"}]");
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(client.services().inNamespace(ns.name()).withName("tmpl").get()).isNull();
            assertThat(configMap("tmpl-members")).isNull();
            assertThat(client.discovery().v1().endpointSlices().inNamespace(ns.name()).withLabel("kubernetes.io/service-name", "tmpl")
                    .list().getItems()).isEmpty();
            assertThat(client.resources(HealingCluster.class).inNamespace(ns.name()).withName("tmpl").get().getStatus().conditions)
                    .noneMatch(c -> c.getType().equals("DiscoveryPublished"));
        });
        java.net.URI tmplTargets = java.net.URI.create(sdUrl + "?namespace=" + ns.name() + "&cluster=tmpl");
        HttpResponse<String> sd = HttpClient.newHttpClient().send(HttpRequest.newBuilder(tmplTargets)
                .header("Authorization", "Bearer " + SD_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sd.statusCode()).isEqualTo(200);
        assertThat(sd.body()).isEqualTo("[]");
        // /sd/targets lists every machine: without the token 401, with a wrong one 403, the body never the targets
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(java.net.URI.create(sdUrl.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        HttpResponse<String> wrong = HttpClient.newHttpClient().send(HttpRequest.newBuilder(java.net.URI.create(sdUrl.toString()))
                .header("Authorization", "Bearer not-" + SD_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).doesNotContain("targets\"").doesNotContain(ns.name());
    }

    ConfigMap configMap(String name) {
        return client.configMaps().inNamespace(ns.name()).withName(name).get();
    }

    io.fabric8.kubernetes.api.model.Condition discoveryCondition(String cluster) {
        return client.resources(HealingCluster.class).inNamespace(ns.name()).withName(cluster).get().getStatus().conditions.stream()
                .filter(c -> c.getType().equals("DiscoveryPublished")).findFirst().orElseThrow();
    }

}
