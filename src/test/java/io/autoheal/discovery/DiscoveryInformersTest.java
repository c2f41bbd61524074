package io.autoheal.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.testing.Examples;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxResource;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Discovery reads what it published, and the template, from informers: a cluster at rest costs the API server no
 * Service, EndpointSlice or ConfigMap read per resync; a published object a person deletes or edits comes back; an
 * edited template re-renders with no change to the cluster's spec.
 */
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
class DiscoveryInformersTest {
    static final Duration WAIT = Duration.ofSeconds(90);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("disc-inf");

    @Inject
    KubernetesClient client;

    @BeforeEach
    void freshAws() {
        Moto.reset();
    }

    @AfterEach
    void removeClusters() {
        ns.kubectl("delete", "healingclusters", "--all", "--timeout=90s");
    }

    ConfigMap members() {
        return client.configMaps().inNamespace(ns.name()).withName("web-members").get();
    }

    @Test
    void atRestNothingIsReadAndWhatAPersonDeletesOrEditsComesBackAndAnEditedTemplateReRenders() throws Exception {
        ns.apply(Examples.render("discovery.yaml"));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() ->
                assertThat(members().getData().get("haproxy.cfg")).containsPattern("(?s)server i-\\w+ .*server i-\\w+ "));

        // At rest: four resyncs (2 s each in tests) read no Service, EndpointSlice or ConfigMap (this test reads none meanwhile).
        Thread.sleep(4000);
        long before = DiscoveryChecks.discoveryReads();
        Thread.sleep(8000);
        assertThat(DiscoveryChecks.discoveryReads() - before).as("Service/EndpointSlice/ConfigMap reads at rest").isZero();

        // A person deletes what was published: it comes back.
        String sliceUid = client.discovery().v1().endpointSlices().inNamespace(ns.name()).withName("web-0").get().getMetadata().getUid();
        ns.kubectl("delete", "service", "web");
        ns.kubectl("delete", "configmap", "web-members");
        ns.kubectl("delete", "endpointslice", "web-0");
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(client.services().inNamespace(ns.name()).withName("web").get()).isNotNull();
            assertThat(members().getData().get("haproxy.cfg")).containsPattern("(?s)server i-\\w+ .*server i-\\w+ ");
            assertThat(client.discovery().v1().endpointSlices().inNamespace(ns.name()).withName("web-0").get().getMetadata().getUid())
                    .isNotEqualTo(sliceUid);
        });
        // A person edits a published object: it is put back.
        ns.kubectl("patch", "configmap", "web-members", "--type=merge", "-p", "{\"data\":{\"members.json\":\"[]\"}}");
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(members().getData().get("members.json")).contains("instanceId"));

        // The template changes, the spec does not: the rendering follows.
        ns.kubectl("patch", "configmap", "web-haproxy-template", "--type=merge", "-p",
                "{\"data\":{\"haproxy.cfg.tmpl\":\"# edited\\n{#for m in ready}backend-server {m.instanceId}\\n{/for}\"}}");
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(members().getData().get("haproxy.cfg")).startsWith("# edited\n").containsPattern("backend-server i-\\w+"));
    }
}
