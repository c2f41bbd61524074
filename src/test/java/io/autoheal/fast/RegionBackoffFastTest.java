package io.autoheal.fast;

import io.autoheal.fleet.AwsScope;
import static io.autoheal.fast.FastResources.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.cluster.ClusterNames;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.kube.Reason;
import io.autoheal.testing.FastOperator;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 23: when a region's AWS calls fail, its clusters back off together (their next pass is the region's next
 * attempt, one probe per back-off step) instead of each retrying on its own clock; another region's clusters go on
 * healing; the back-off ends with the region's first success.
 */
@Tag("fast")
class RegionBackoffFastTest {
    static final Duration TICK = Duration.ofSeconds(1);
    static final String FAILING = "eu-west-1";
    static final String HEALTHY = "us-east-1";
    final FastOperator op = new FastOperator();

    static HealingCluster in(String region, HealingCluster hc) {
        hc.getSpec().region = region;
        return hc;
    }

    static String asg(HealingCluster hc) {
        return ClusterNames.asgName(hc, io.autoheal.fleet.Installations.LEGACY, List.of());
    }

    @Test
    void aFailingRegionsClustersWaitTogetherWhileAnotherRegionHeals() {
        List<HealingCluster> failing = List.of(in(FAILING, cluster("eu-a", 2)), in(FAILING, cluster("eu-b", 2)), in(FAILING, cluster("eu-c", 2)));
        List<HealingCluster> healthy = List.of(in(HEALTHY, cluster("us-a", 2)), in(HEALTHY, cluster("us-b", 2)));
        op.clusters.addAll(failing);
        op.clusters.addAll(healthy);
        op.run(5, Duration.ofSeconds(10));
        op.clusters.forEach(hc -> assertThat(op.fleet.serving(asg(hc))).as(hc.getMetadata().getName()).hasSize(2));

        op.fleet.faults.failRegion(FAILING);
        int failingBefore = op.fleet.regionReads.getOrDefault(FAILING, 0);
        int healthyBefore = op.fleet.regionReads.getOrDefault(HEALTHY, 0);
        String victim = op.fleet.serving(asg(healthy.get(0))).get(0);
        op.fleet.stop(victim);

        op.tick(TICK);
        // the first cluster's pass failed; the region waits 2 s (the back-off's first step) and so does every cluster of it
        Set<Duration> waits = failing.stream().map(hc -> op.nextPass.get(hc.getMetadata().getName())).collect(Collectors.toSet());
        assertThat(waits).containsExactly(Duration.ofSeconds(2));
        assertThat(op.regionBackoff.nextAttempt(AwsScope.own(HEALTHY))).isEmpty();
        assertThat(op.fleet.regionReads.get(FAILING) - failingBefore).as("one probe, not one per cluster").isEqualTo(1);
        failing.forEach(hc -> assertThat(Conditions.find(hc.getStatus().conditions, ConditionType.Degraded).orElseThrow().getReason())
                .as(hc.getMetadata().getName()).isEqualTo(Reason.AwsError.name()));

        op.run(59, TICK); // a minute of outage: 2 + 4 + 8 + 16 + 32 s of waiting, one probe after each step
        int probes = op.fleet.regionReads.get(FAILING) - failingBefore;
        assertThat(probes).as("probes of the failing region in 60 one-second ticks of 3 clusters").isBetween(5, 6);
        assertThat(op.fleet.regionReads.get(HEALTHY) - healthyBefore).as("the healthy region's clusters pass every tick")
                .isGreaterThanOrEqualTo(2 * 60);
        assertThat(op.fleet.state(victim)).isEqualTo("terminated");
        assertThat(op.fleet.serving(asg(healthy.get(0)))).as("replaced during the other region's outage").hasSize(2).doesNotContain(victim);
        Set<Duration> later = failing.stream().map(hc -> op.nextPass.get(hc.getMetadata().getName())).collect(Collectors.toSet());
        assertThat(later).as("still one wait for the whole region").hasSize(1);

        op.fleet.faults.recover(FAILING);
        String euVictim = op.fleet.serving(asg(failing.get(1))).get(0);
        op.fleet.stop(euVictim);
        op.run(70, TICK); // past the longest wait (60 s): the next probe succeeds and the back-off ends
        assertThat(op.regionBackoff.nextAttempt(AwsScope.own(FAILING))).isEmpty();
        assertThat(op.fleet.serving(asg(failing.get(1)))).as("the recovered region heals again").hasSize(2).doesNotContain(euVictim);
        failing.forEach(hc -> assertThat(Conditions.isTrue(hc.getStatus().conditions, ConditionType.Degraded)).isFalse());
    }

    /** A 4xx is one cluster's input, not the region's trouble: the region's other clusters do not wait for it. */
    @Test
    void aRefusalOfOneClustersCallDoesNotBackTheRegionOff() {
        List<HealingCluster> failing = List.of(in(FAILING, cluster("eu-a", 2)), in(FAILING, cluster("eu-b", 2)));
        op.clusters.addAll(failing);
        op.run(5, Duration.ofSeconds(10));
        int before = op.fleet.regionReads.get(FAILING);
        op.fleet.faults.fail("DescribeAutoScalingGroups", "ValidationError", 400, 1);
        op.tick(TICK);
        assertThat(op.regionBackoff.nextAttempt(AwsScope.own(FAILING))).isEmpty();
        assertThat(op.fleet.regionReads.get(FAILING) - before).as("both clusters read").isGreaterThanOrEqualTo(2);
    }

    /** Throttling backs the region off like an outage (AWS' 400 Throttling is the region's trouble, not the input's). */
    @Test
    void throttlingBacksTheRegionOff() {
        op.clusters.add(in(FAILING, cluster("eu-a", 2)));
        op.run(5, Duration.ofSeconds(10));
        op.fleet.faults.fail("DescribeAutoScalingGroups", "Throttling", 400, 1);
        op.tick(TICK);
        assertThat(op.regionBackoff.nextAttempt(AwsScope.own(FAILING))).isPresent();
    }
}
