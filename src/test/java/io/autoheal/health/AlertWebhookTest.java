package io.autoheal.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Groups;
import io.autoheal.testing.SandboxResource;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * spec.health.alerts through the operator's own HTTP server, the real API server and moto: the webhook body exactly
 * as Alertmanager sends it (src/test/resources/alertmanager/) fires for one machine, which is replaced; a resolved
 * alert for another replaces nothing; a wrong token is refused.
 */
@SandboxTest
class AlertWebhookTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("alert").freshAws().deleteAfterEach("healingclusters");

    @Inject
    KubernetesClient client;

    @TestHTTPResource("/alertmanager")
    URL webhook;

    HealingCluster get(String name) {
        return client.resources(HealingCluster.class).inNamespace(ns.name()).withName(name).get();
    }

    int post(String token, String fixture, String instanceId) throws Exception {
        byte[] body = FiringAlertsTest.fixture(fixture, instanceId);
        var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(webhook.toURI()).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }

    @Test
    void aFiringAlertReplacesItsMachineAndAResolvedOneDoesNot() throws Exception {
        ns.apply(ClusterManifest.named("sip").capacity(1, 3, 4).alerts("SipProcessDown").toYaml());
        await().ignoreExceptions().atMost(WAIT).until(() -> Groups.inService(ns, "sip").size() == 3
                && get("sip").getStatus() != null && get("sip").getStatus().readyReplicas == 3);
        List<String> before = Groups.inService(ns, "sip").stream().sorted().toList();
        String victim = before.get(0);
        String resolvedOne = before.get(1);
        assertThat(post("wrong", "webhook-v4-firing.json", victim)).isEqualTo(401);
        assertThat(post(SandboxResource.ALERTMANAGER_TOKEN, "webhook-v4-resolved.json", resolvedOne)).isEqualTo(200);
        long start = System.nanoTime();
        assertThat(post(SandboxResource.ALERTMANAGER_TOKEN, "webhook-v4-firing.json", victim)).isEqualTo(200);
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(get("sip").getStatus().recentRemediations).anyMatch(r -> r.instanceId.equals(victim) && r.reason.equals("AlertFiring"));
            assertThat(Groups.inService(ns, "sip")).hasSize(3).doesNotContain(victim);
        });
        System.out.println("AlertWebhookTest: firing alert's machine replaced in " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
        Set<String> after = Groups.inService(ns, "sip");
        assertThat(after).contains(before.get(1), before.get(2));
        assertThat(get("sip").getStatus().recentRemediations).hasSize(1);
    }

    /** On the operator's own HTTP server (Quarkus' router, not a bare one): the 1 MiB bound holds, garbage is 400. */
    @Test
    void theBoundsHoldOnTheOperatorsServer() throws Exception {
        byte[] big = new byte[AlertmanagerRoute.MAX_BODY_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(webhook.toURI()).header("Authorization", "Bearer " + SandboxResource.ALERTMANAGER_TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        var bad = HttpClient.newHttpClient().send(HttpRequest.newBuilder(webhook.toURI()).header("Authorization", "Bearer " + SandboxResource.ALERTMANAGER_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"alerts\": 5}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
    }
}
