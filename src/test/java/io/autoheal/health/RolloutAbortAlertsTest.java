package io.autoheal.health;

import static io.autoheal.health.FiringAlertsTest.T0;
import static io.autoheal.health.FiringAlertsTest.ZERO;
import static io.autoheal.health.FiringAlertsTest.alert;
import static io.autoheal.health.FiringAlertsTest.payload;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterSpec;
import io.autoheal.api.v1alpha1.InstanceHealth;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.api.v1alpha1.RolloutSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** spec.rollout.abortOnAlerts: kept by the Alertmanager store, reported to the rollout, never a machine's failure by itself. */
class RolloutAbortAlertsTest {
    static HealingCluster cluster(List<String> healthAlerts, List<String> abortOn) {
        HealingCluster hc = new HealingCluster();
        hc.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("ns").withUid("u1").build());
        hc.setSpec(new HealingClusterSpec());
        hc.getSpec().health.alerts = healthAlerts;
        hc.getSpec().rollout = new RolloutSpec();
        hc.getSpec().rollout.abortOnAlerts = abortOn;
        return hc;
    }

    /** The pass's rows: every member in service (alerts judge only machines in service). */
    static List<InstanceStatus> inService(List<String> ids) {
        return ids.stream().map(id -> {
            InstanceStatus row = new InstanceStatus();
            row.instanceId = id;
            row.health = InstanceHealth.Healthy;
            return row;
        }).toList();
    }

    @Test
    void anAbortAlertIsReportedToTheRolloutButMakesNoMachineUnhealthy() {
        AlertHealthSource source = new AlertHealthSource(Duration.ofMinutes(15), true);
        HealingCluster hc = cluster(List.of("SipProcessDown"), List.of("HighErrorRate"));
        List<String> members = List.of("i-1", "i-2");
        source.seen(hc, null, inService(members), T0);
        assertThat(source.failing(hc, members, T0)).isEmpty(); // the pass tells the store the members and names
        source.alerts().receive(payload(alert("firing", "HighErrorRate", "i-1", T0, ZERO), alert("firing", "SipProcessDown", "i-2", T0, ZERO),
                alert("firing", "DiskFull", "i-2", T0, ZERO)), T0);

        assertThat(source.failing(hc, members, T0)).containsOnlyKeys("i-2");
        assertThat(source.failing(hc, members, T0).get("i-2")).extracting(s -> s.source()).containsExactly("SipProcessDown");
        assertThat(source.firingRolloutAborts(hc, members, T0)).containsExactly("HighErrorRate");
    }

    @Test
    void withoutAbortAlertsNothingIsReported() {
        AlertHealthSource source = new AlertHealthSource(Duration.ofMinutes(15), true);
        HealingCluster hc = cluster(List.of("HighErrorRate"), List.of());
        source.seen(hc, null, inService(List.of("i-1")), T0);
        source.failing(hc, List.of("i-1"), T0);
        source.alerts().receive(payload(alert("firing", "HighErrorRate", "i-1", T0, ZERO)), T0);
        assertThat(source.firingRolloutAborts(hc, List.of("i-1"), T0)).isEmpty();
        assertThat(source.failing(hc, List.of("i-1"), T0)).containsOnlyKeys("i-1");
    }
}
