package io.autoheal.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The reader's retry rule: a 404 is "no CRD" (rechecked every 10 s), any other failure is retried with back-off. */
class ReadRetryTest {
    static KubernetesClientException http(int code, String message) {
        return new KubernetesClientException(new StatusBuilder().withCode(code).withMessage(message).build());
    }

    @Test
    void aNotFoundAnywhereInTheCausesIsNoCrdAnythingElseLeavesThePoliciesUnread() {
        assertThat(ReadRetry.after(http(404, "the server could not find the requested resource"))).isEqualTo(TenantSnapshot.State.NO_CRD);
        assertThat(ReadRetry.after(new CompletionException(http(404, "not found")))).isEqualTo(TenantSnapshot.State.NO_CRD);
        assertThat(ReadRetry.after(http(403, "forbidden"))).isEqualTo(TenantSnapshot.State.SYNCING);
        assertThat(ReadRetry.after(new java.net.ConnectException("refused"))).isEqualTo(TenantSnapshot.State.SYNCING);
    }

    @Test
    void retryTimes() {
        assertThat(ReadRetry.nextAttempt(TenantSnapshot.State.NO_CRD, 0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(ReadRetry.nextAttempt(TenantSnapshot.State.SYNCING, 1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(ReadRetry.nextAttempt(TenantSnapshot.State.SYNCING, 2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(ReadRetry.nextAttempt(TenantSnapshot.State.SYNCING, 5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(ReadRetry.nextAttempt(TenantSnapshot.State.SYNCING, 6)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theProblemIsTheApiServersMessage() {
        assertThat(ReadRetry.describe(new CompletionException(http(403, "tenantpolicies.autoheal.io is forbidden"))))
                .isEqualTo("403 tenantpolicies.autoheal.io is forbidden");
        assertThat(ReadRetry.describe(new RuntimeException("x".repeat(1000)))).hasSize(301);
    }

    @Property
    void theBackOffGrowsAndIsBounded(@ForAll @IntRange(min = 1, max = 10_000) int failures) {
        Duration d = ReadRetry.nextAttempt(TenantSnapshot.State.SYNCING, failures);
        assertThat(d).isBetween(ReadRetry.FIRST_BACKOFF, ReadRetry.MAX_BACKOFF);
        assertThat(ReadRetry.nextAttempt(TenantSnapshot.State.SYNCING, failures + 1)).isGreaterThanOrEqualTo(d);
    }
}
