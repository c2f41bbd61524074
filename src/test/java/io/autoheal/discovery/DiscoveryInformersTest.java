package io.autoheal.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.testing.Examples;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Discovery reads what it published, and the template, from informers: a cluster at rest costs the API server no
 * Service, EndpointSlice or ConfigMap read per resync (16 in four resyncs before, 4 a pass). DiscoveryWakeupsTest shows
 * that those informers' events, not the resync, put back what a person changed.
 */
@SandboxTest
class DiscoveryInformersTest {
    static final Duration WAIT = Duration.ofSeconds(90);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("disc-inf").freshAws().deleteAfterEach("healingclusters");

    @Inject
    KubernetesClient client;

    ConfigMap members() {
        return client.configMaps().inNamespace(ns.name()).withName("web-members").get();
    }

    @Test
    void aClusterAtRestReadsNoServiceEndpointSliceOrConfigMap() throws Exception {
        ns.apply(Examples.render("discovery.yaml"));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() ->
                assertThat(members().getData().get("haproxy.cfg")).containsPattern("(?s)server i-\\w+ .*server i-\\w+ "));

        // At rest: four resyncs (2 s each in tests) read no Service, EndpointSlice or ConfigMap (this test reads none meanwhile).
        Thread.sleep(4000);
        long before = DiscoveryChecks.discoveryReads();
        Thread.sleep(8000);
        assertThat(DiscoveryChecks.discoveryReads() - before).as("Service/EndpointSlice/ConfigMap reads at rest").isZero();

    }
}
