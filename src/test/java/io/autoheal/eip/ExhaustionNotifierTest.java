package io.autoheal.eip;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.testing.Kubectl;
import io.autoheal.testing.SandboxResource;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestWebhook;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The exhaustion webhook through the operator's own bean and the real API server: a message reaches the webhook,
 * and a configured but unusable webhook Secret is counted as a failed notification instead of vanishing.
 */
@SandboxTest
class ExhaustionNotifierTest {
    static final String NAMESPACE = SandboxResource.WEBHOOK_SECRET.split("/")[0];
    static final String SECRET = SandboxResource.WEBHOOK_SECRET.split("/")[1];

    @Inject
    ExhaustionNotifier notifier;

    @AfterEach
    void removeSecret() {
        Kubectl.exec(null, "delete", "secret", SECRET, "-n", NAMESPACE, "--ignore-not-found");
    }

    static double notifications(String pool, String outcome) {
        return RestAssured.get("/q/metrics").asString().lines()
                .filter(l -> l.startsWith("autoheal_notifications_total{") && l.contains("pool=\"" + pool + "\"")
                        && l.contains("outcome=\"" + outcome + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aMessageReachesTheWebhookNamedByTheSecret() throws Exception {
        try (TestWebhook webhook = new TestWebhook()) {
            Kubectl.exec(null, "delete", "secret", SECRET, "-n", NAMESPACE, "--ignore-not-found");
            Kubectl.run("create", "secret", "generic", SECRET, "-n", NAMESPACE, "--from-literal=url=" + webhook.url());
            notifier.notify("notify-test", "sent-pool", "pool notify-test/sent-pool is exhausted");
            assertThat(webhook.bodies()).singleElement().asString().contains("sent-pool is exhausted");
            assertThat(notifications("sent-pool", "sent")).isEqualTo(1);
        }
    }

    @Test
    void aMissingSecretIsAFailedNotificationNotASilentOne() {
        Kubectl.exec(null, "delete", "secret", SECRET, "-n", NAMESPACE, "--ignore-not-found");
        notifier.notify("notify-test", "broken-pool", "pool notify-test/broken-pool is exhausted");
        assertThat(notifications("broken-pool", "failed")).isEqualTo(1);
        assertThat(notifications("broken-pool", "sent")).isZero();
    }
}
