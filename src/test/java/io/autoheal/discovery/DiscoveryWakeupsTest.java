package io.autoheal.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.testing.Examples;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With a 5-minute resync, only events bring a cluster back to its published objects: a Service, EndpointSlice or members
 * ConfigMap a person deletes or edits is put back within seconds (the informers' events wake the cluster), and an edited
 * template re-renders with no change to the cluster's spec (the template's watch wakes it).
 */
@SandboxTest
@TestProfile(DiscoveryWakeupsTest.SlowResync.class)
class DiscoveryWakeupsTest {
    static final Duration WAIT = Duration.ofSeconds(90);
    /** Far inside the 5-minute resync and the 15 s safety net after an action: only an event explains it. */
    static final Duration FAST = Duration.ofSeconds(10);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("disc-wake").freshAws().deleteAfterEach("healingclusters");

    @Inject
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    /** As with an event queue: the resync is a safety net, minutes apart. */
    public static class SlowResync implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("autoheal.resync-interval", "5m");
        }
    }

    /** Passes of the HealingCluster reconciler so far (this test's cluster is the only one). */
    long passes() {
        return (long) registry.find("autoheal.reconciliations").tag("controller", "healingcluster").counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    /**
     * The cluster has stopped acting: no pass for 16 s, longer than the 15 s safety net after an action, so the next
     * pass is the resync's, minutes away.
     */
    void waitForRest() throws InterruptedException {
        long seen = -1;
        for (int i = 0; i < 8; i++) {
            long now = passes();
            if (now == seen) {
                return;
            }
            seen = now;
            Thread.sleep(16_000);
        }
        throw new AssertionError("the cluster did not come to rest in 128 s");
    }

    ConfigMap members() {
        return client.configMaps().inNamespace(ns.name()).withName("web-members").get();
    }

    @Test
    void whatAPersonDeletesOrEditsComesBackAndAnEditedTemplateReRendersWithinSecondsNotAtTheResync() throws Exception {
        ns.apply(Examples.render("discovery.yaml"));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() ->
                assertThat(members().getData().get("haproxy.cfg")).containsPattern("(?s)server i-\\w+ .*server i-\\w+ "));

        waitForRest();
        // A person deletes what was published: it comes back.
        String sliceUid = client.discovery().v1().endpointSlices().inNamespace(ns.name()).withName("web-0").get().getMetadata().getUid();
        ns.kubectl("delete", "service", "web");
        ns.kubectl("delete", "configmap", "web-members");
        ns.kubectl("delete", "endpointslice", "web-0");
        await().ignoreExceptions().atMost(FAST).untilAsserted(() -> {
            assertThat(client.services().inNamespace(ns.name()).withName("web").get()).isNotNull();
            assertThat(members().getData().get("haproxy.cfg")).containsPattern("(?s)server i-\\w+ .*server i-\\w+ ");
            assertThat(client.discovery().v1().endpointSlices().inNamespace(ns.name()).withName("web-0").get().getMetadata().getUid())
                    .isNotEqualTo(sliceUid);
        });
        // A person edits a published object: it is put back.
        ns.kubectl("patch", "configmap", "web-members", "--type=merge", "-p", "{\"data\":{\"members.json\":\"[]\"}}");
        await().ignoreExceptions().atMost(FAST).untilAsserted(() ->
                assertThat(members().getData().get("members.json")).contains("instanceId"));

        // The template changes, the spec does not: the rendering follows.
        ns.kubectl("patch", "configmap", "web-haproxy-template", "--type=merge", "-p",
                "{\"data\":{\"haproxy.cfg.tmpl\":\"# edited\\n{#for m in ready}backend-server {m.instanceId}\\n{/for}\"}}");
        await().ignoreExceptions().atMost(FAST).untilAsserted(() ->
                assertThat(members().getData().get("haproxy.cfg")).startsWith("# edited\n").containsPattern("backend-server i-\\w+"));
    }
}
