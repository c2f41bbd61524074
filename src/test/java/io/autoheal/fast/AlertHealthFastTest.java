package io.autoheal.fast;

import static io.autoheal.fast.FastResources.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.cluster.ClusterNames;
import io.autoheal.health.AlertHealthSource;
import io.autoheal.health.AlertmanagerPayload;
import io.autoheal.kube.Reason;
import io.autoheal.testing.FastOperator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * spec.health.alerts on the real reconciler and an in-memory fleet, fed the webhook body as Alertmanager sends it: a
 * listed alert firing for one machine replaces that machine (the others untouched), a resolved one replaces nothing,
 * and an alert the cluster does not list replaces nothing.
 */
@Tag("fast")
class AlertHealthFastTest {
    static final Duration TICK = Duration.ofSeconds(10);
    final AlertHealthSource alerts = new AlertHealthSource(Duration.ofMinutes(15), true);
    final FastOperator op = FastOperator.builder().healthSource(alerts).build();

    HealingCluster settled(List<String> listed) {
        HealingCluster hc = cluster("voip", 3);
        hc.getSpec().health.alerts = listed;
        op.clusters.add(hc);
        op.run(4, TICK);
        assertThat(op.fleet.serving(asg(hc))).hasSize(3);
        return hc;
    }

    static String asg(HealingCluster hc) {
        return ClusterNames.asgName(hc, io.autoheal.fleet.Installations.LEGACY, List.of());
    }

    void send(String fixture, String instanceId) throws Exception {
        String body;
        try (var in = getClass().getResourceAsStream("/alertmanager/" + fixture)) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("__INSTANCE__", instanceId);
        }
        alerts.alerts().receive(AlertmanagerPayload.parse(body.getBytes(StandardCharsets.UTF_8)), op.clock.instant());
    }

    @Test
    void aListedAlertFiringReplacesItsMachineOnly() throws Exception {
        HealingCluster hc = settled(List.of("SipProcessDown"));
        List<String> before = op.fleet.serving(asg(hc));
        String victim = before.get(1);
        send("webhook-v4-firing.json", victim);
        op.run(4, TICK);
        assertThat(op.fleet.state(victim)).isEqualTo("terminated");
        assertThat(op.fleet.serving(asg(hc))).hasSize(3).doesNotContain(victim).contains(before.get(0), before.get(2));
        assertThat(hc.getStatus().recentRemediations).singleElement().satisfies(r -> {
            assertThat(r.instanceId).isEqualTo(victim);
            assertThat(r.reason).isEqualTo("AlertFiring");
        });
        assertThat(op.events.count(Reason.Remediated)).isEqualTo(1);
    }

    @Test
    void aResolvedAlertReplacesNothing() throws Exception {
        HealingCluster hc = settled(List.of("SipProcessDown"));
        List<String> before = op.fleet.serving(asg(hc));
        send("webhook-v4-resolved.json", before.get(0));
        op.run(4, TICK);
        assertThat(op.fleet.serving(asg(hc))).containsExactlyElementsOf(before);
        assertThat(op.fleet.calls("TerminateInstanceInAutoScalingGroup")).isZero();
    }

    @Test
    void anAlertTheClusterDoesNotListReplacesNothing() throws Exception {
        HealingCluster hc = settled(List.of("SomethingElse"));
        List<String> before = op.fleet.serving(asg(hc));
        send("webhook-v4-firing.json", before.get(0));
        op.run(4, TICK);
        assertThat(op.fleet.serving(asg(hc))).containsExactlyElementsOf(before);
        assertThat(op.fleet.calls("TerminateInstanceInAutoScalingGroup")).isZero();
    }

    @Test
    void listedAlertsWithTheWebhookOffAreSaidNotSilentlyIgnored() {
        AlertHealthSource off = new AlertHealthSource(Duration.ofMinutes(15), false);
        FastOperator without = FastOperator.builder().healthSource(off).build();
        HealingCluster hc = cluster("voip", 2);
        hc.getSpec().health.alerts = List.of("SipProcessDown");
        without.clusters.add(hc);
        without.run(4, TICK);
        assertThat(hc.getStatus().conditions).filteredOn(c -> c.getType().equals("AlertsIgnored")).singleElement().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("AlertmanagerWebhookOff");
            assertThat(c.getMessage()).contains("SipProcessDown", "autoheal.alertmanager.token");
        });
        assertThat(without.events.count(Reason.AlertmanagerWebhookOff)).as("one Warning Event, on the transition").isEqualTo(1);

        HealingCluster on = settled(List.of("SipProcessDown"));
        assertThat(on.getStatus().conditions).filteredOn(c -> c.getType().equals("AlertsIgnored")).singleElement()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
        HealingCluster none = cluster("plain", 1);
        op.clusters.add(none);
        op.run(2, TICK);
        assertThat(none.getStatus().conditions).as("a cluster without alerts carries no such condition")
                .noneMatch(c -> c.getType().equals("AlertsIgnored"));
    }

    /**
     * A listed alert firing while the machine bootstraps (6 minutes, gateLaunch=false: its process is not up yet) does
     * not replace it when it comes into service; Alertmanager's re-send after that moment does.
     */
    @Test
    void anAlertFiringDuringBootstrapCountsOnlyOnceReSentAfterInService() throws Exception {
        java.time.Instant bootstrapped = FastOperator.START.plus(Duration.ofMinutes(6));
        op.runnerOverride = FastResources.bootstrapUntil(op.clock, bootstrapped);
        HealingCluster hc = FastResources.withGatedBootstrap(cluster("voip", 3));
        hc.getSpec().bootstrap.gateLaunch = false;
        hc.getSpec().health.alerts = List.of("SipProcessDown");
        op.clusters.add(hc);
        op.run(3, TICK);
        List<String> launched = op.fleet.group(asg(hc)).orElseThrow().members().stream().map(m -> m.instanceId()).sorted().toList();
        assertThat(launched).hasSize(3);
        String victim = launched.get(0);
        send("webhook-v4-firing.json", victim);
        while (op.clock.instant().isBefore(bootstrapped.plusSeconds(90))) {
            op.run(1, TICK);
        }
        assertThat(op.fleet.serving(asg(hc))).as("in service, the alert not re-sent since").containsExactlyInAnyOrderElementsOf(launched);
        assertThat(op.fleet.calls("TerminateInstanceInAutoScalingGroup")).isZero();
        send("webhook-v4-firing.json", victim); // repeat_interval: still firing after it came into service
        op.run(4, TICK);
        assertThat(op.fleet.state(victim)).isEqualTo("terminated");
        assertThat(hc.getStatus().recentRemediations).singleElement().satisfies(r -> assertThat(r.reason).isEqualTo("AlertFiring"));
    }
}
