package io.autoheal.fast;

import static io.autoheal.fast.FastResources.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.cluster.ClusterNames;
import io.autoheal.fleet.ObservedTargetHealth;
import io.autoheal.fleet.Tags;
import io.autoheal.health.TargetHealthSource;
import io.autoheal.testing.FastOperator;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * spec.health.targetGroupArns on the real reconciler and an in-memory fleet, with the target health the inventory
 * would read scripted: the group is attached once and tagged, a target unhealthy is replaced only after unhealthyAfter,
 * a read that failed (unknown) replaces nothing.
 */
@Tag("fast")
class TargetHealthFastTest {
    static final Duration TICK = Duration.ofSeconds(10);
    static final String TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef";
    final AtomicReference<ObservedTargetHealth> health = new AtomicReference<>(ObservedTargetHealth.NONE);
    final TargetHealthSource source = new TargetHealthSource(scope -> health.get(),
            new io.autoheal.tenant.AwsScopes(namespace -> java.util.Optional.empty(), "us-east-1"));
    final FastOperator op = FastOperator.builder().healthSource(source).build();

    HealingCluster settled() {
        HealingCluster hc = cluster("web", 3);
        hc.getSpec().health.targetGroupArns = List.of(TG);
        hc.getSpec().health.unhealthyAfter = "1m";
        op.clusters.add(hc);
        op.run(4, TICK);
        assertThat(op.fleet.serving(asg(hc))).hasSize(3);
        return hc;
    }

    static String asg(HealingCluster hc) {
        return ClusterNames.asgName(hc, io.autoheal.fleet.Installations.LEGACY, List.of());
    }

    void read(Map<String, String> states) {
        Map<String, ObservedTargetHealth.Target> targets = new HashMap<>();
        states.forEach((id, s) -> targets.put(id, new ObservedTargetHealth.Target(s, "Target.Timeout", "Request timed out")));
        health.set(new ObservedTargetHealth(op.clock.instant(), Map.of(TG, targets)));
    }

    @Test
    void theGroupIsAttachedOnceAndTagged() {
        HealingCluster hc = settled();
        var group = op.fleet.group(asg(hc)).orElseThrow();
        assertThat(group.targetGroupArns()).containsExactly(TG);
        assertThat(group.tags()).containsEntry(Tags.TARGET_GROUPS, "0123456789abcdef");
        op.run(3, TICK);
        assertThat(op.fleet.calls("AttachLoadBalancerTargetGroups")).as("attached at creation, never again").isZero();
    }

    @Test
    void anUnhealthyTargetIsReplacedAfterUnhealthyAfterOnly() {
        HealingCluster hc = settled();
        List<String> before = op.fleet.serving(asg(hc));
        String victim = before.get(2);
        Map<String, String> states = new HashMap<>();
        before.forEach(id -> states.put(id, id.equals(victim) ? "unhealthy" : "healthy"));
        read(states);
        op.run(5, TICK); // 50 s < 1m
        assertThat(op.fleet.serving(asg(hc))).as("within the grace").containsExactlyElementsOf(before);
        op.run(3, TICK);
        assertThat(op.fleet.state(victim)).isEqualTo("terminated");
        assertThat(op.fleet.serving(asg(hc))).hasSize(3).contains(before.get(0), before.get(1));
        assertThat(hc.getStatus().recentRemediations).singleElement().satisfies(r -> assertThat(r.reason).isEqualTo("TargetUnhealthy"));
    }

    @Test
    void anUnreadTargetGroupReplacesNothing() {
        HealingCluster hc = settled();
        List<String> before = op.fleet.serving(asg(hc));
        read(Map.of(before.get(0), "unhealthy"));
        op.run(3, TICK);
        health.set(new ObservedTargetHealth(op.clock.instant(), Map.of())); // DescribeTargetHealth failed: unknown
        op.run(12, TICK);
        assertThat(op.fleet.serving(asg(hc))).containsExactlyElementsOf(before);
        assertThat(op.fleet.calls("TerminateInstanceInAutoScalingGroup")).isZero();
    }

    /**
     * gateLaunch=false: the group registers the target at launch, so it is unhealthy while the machine bootstraps (6
     * minutes here, well past unhealthyAfter). The machine is not replaced when it comes into service; a target that
     * stays unhealthy for unhealthyAfter after that is.
     */
    @Test
    void anUnhealthyTargetDuringBootstrapCountsOnlyFromInService() {
        java.time.Instant bootstrapped = FastOperator.START.plus(Duration.ofMinutes(6));
        op.runnerOverride = FastResources.bootstrapUntil(op.clock, bootstrapped);
        HealingCluster hc = FastResources.withGatedBootstrap(cluster("web", 3));
        hc.getSpec().bootstrap.gateLaunch = false;
        hc.getSpec().health.targetGroupArns = List.of(TG);
        hc.getSpec().health.unhealthyAfter = "1m";
        op.clusters.add(hc);
        op.run(3, TICK);
        List<String> launched = op.fleet.group(asg(hc)).orElseThrow().members().stream().map(m -> m.instanceId()).sorted().toList();
        assertThat(launched).hasSize(3);
        String victim = launched.get(0);
        Map<String, String> states = new HashMap<>();
        launched.forEach(id -> states.put(id, id.equals(victim) ? "unhealthy" : "healthy"));
        while (op.clock.instant().isBefore(bootstrapped.plusSeconds(40))) { // bootstrapping, then in service for < 1m
            read(states);
            op.run(1, TICK);
        }
        assertThat(op.fleet.serving(asg(hc))).as("in service, unhealthy for less than unhealthyAfter since").containsExactlyInAnyOrderElementsOf(launched);
        assertThat(op.fleet.calls("TerminateInstanceInAutoScalingGroup")).isZero();
        for (int i = 0; i < 5; i++) {
            read(states);
            op.run(1, TICK);
        }
        assertThat(op.fleet.state(victim)).isEqualTo("terminated");
        assertThat(hc.getStatus().recentRemediations).singleElement().satisfies(r -> assertThat(r.reason).isEqualTo("TargetUnhealthy"));
    }

    /** A deleted cluster's first-seen times and in-service moments go with it; a member that left drops out at the next pass. */
    @Test
    void aDeletedClustersEntriesAreForgotten() {
        HealingCluster hc = settled();
        List<String> before = op.fleet.serving(asg(hc));
        read(Map.of(before.get(0), "unhealthy"));
        op.run(2, TICK);
        assertThat(source.clustersKept()).isEqualTo(1);
        assertThat(op.delete(hc, 30, TICK)).isTrue();
        assertThat(source.clustersKept()).as("nothing kept for a cluster that is gone").isZero();
    }

    /** DescribeTargetHealth that keeps failing (IAM without the permission) is said: condition + one Warning Event, cleared once it reads. */
    @Test
    void aFailingTargetHealthReadIsSaidNotSilent() {
        HealingCluster hc = settled();
        assertThat(hc.getStatus().conditions).filteredOn(c -> c.getType().equals("TargetHealthUnknown")).singleElement()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
        for (int i = 0; i < 4; i++) {
            health.set(new ObservedTargetHealth(op.clock.instant(), Map.of(), Map.of(TG, "AccessDenied")));
            op.run(1, TICK);
        }
        assertThat(hc.getStatus().conditions).filteredOn(c -> c.getType().equals("TargetHealthUnknown")).singleElement().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("TargetHealthUnreadable");
            assertThat(c.getMessage()).contains("targetgroup/web", "AccessDenied", "elasticloadbalancing:DescribeTargetHealth");
        });
        assertThat(op.events.count(io.autoheal.kube.Reason.TargetHealthUnreadable)).as("one Warning Event, on the transition").isEqualTo(1);
        assertThat(op.events.recorded).filteredOn(e -> e.reason() == io.autoheal.kube.Reason.TargetHealthUnreadable)
                .allSatisfy(e -> assertThat(e.warning()).isTrue());
        read(Map.of());
        op.run(1, TICK);
        assertThat(hc.getStatus().conditions).filteredOn(c -> c.getType().equals("TargetHealthUnknown")).singleElement()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
    }
}
