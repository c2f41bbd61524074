package io.autoheal.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.cluster.HealingClusterReconciler;
import io.autoheal.eip.ElasticIpPoolReconciler;
import io.autoheal.testing.SandboxTest;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The running operator's reconcile retry: jittered, and still the one application.properties configures. */
@SandboxTest
class ReconcileRetryTest {
    @Inject
    Operator operator;

    @Test
    void bothReconcilersRetryWithJitterAsConfigured() {
        for (String name : new String[] {HealingClusterReconciler.NAME, ElasticIpPoolReconciler.NAME}) {
            var retry = operator.getRegisteredController(name).orElseThrow().getConfiguration().getRetry();
            assertThat(retry).as(name).isInstanceOf(JitteredRetry.class);
            GenericRetry generic = (GenericRetry) retry;
            assertThat(generic.getMaxAttempts()).as(name).isEqualTo(-1);
            assertThat(generic.getInitialInterval()).as(name).isEqualTo(2000);
            assertThat(generic.getIntervalMultiplier()).as(name).isEqualTo(2.0);
            assertThat(generic.getMaxInterval()).as(name).isEqualTo(30000);
        }
    }
}
