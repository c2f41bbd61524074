package io.autoheal.fast;

import io.autoheal.fleet.AwsScope;
import static io.autoheal.fast.FastResources.cluster;
import static io.autoheal.fast.FastResources.withGatedBootstrap;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.InstanceHealth;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.bootstrap.BootstrapPhase;
import io.autoheal.bootstrap.JobStatus;
import io.autoheal.cluster.ClusterNames;
import io.autoheal.fleet.AsgAction;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.kube.Reason;
import io.autoheal.testing.FastOperator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The README's healing promises with the CRD's defaults (no spec.health set), in the fast tier: the same scenarios as
 * the sandbox's SafeDefaultsTest (which stays, against the real API server and moto), with the injected clock.
 */
@Tag("fast")
class SafeDefaultsFastTest {
    static final Duration TICK = Duration.ofSeconds(10);
    final FastOperator op = FastOperator.builder().build();

    private HealingCluster settled(HealingCluster hc) {
        op.clusters.add(hc);
        op.run(4, TICK);
        assertThat(op.fleet.serving(asg(hc))).hasSize(hc.getSpec().capacity.desired);
        assertThat(Conditions.isTrue(hc.getStatus().conditions, ConditionType.Ready)).as("Ready").isTrue();
        return hc;
    }

    private static String asg(HealingCluster hc) {
        return ClusterNames.asgName(hc, io.autoheal.fleet.Installations.LEGACY, java.util.List.of());
    }

    private static List<InstanceStatus> rows(HealingCluster hc) {
        return hc.getStatus().instances.stream().filter(r -> r.health != InstanceHealth.Leaving).toList();
    }

    /** 40% of 2 rounds down to 0, but one replacement is always allowed; a person resuming ReplaceUnhealthy is undone. */
    @Test
    void aTwoMachineClusterWithDefaultsHealsAndTheOperatorIsItsOnlyHealer() {
        HealingCluster hc = settled(cluster("pair", 2));
        assertThat(hc.getSpec().health.maxUnhealthy.getStrVal()).as("the default").isEqualTo("40%");
        assertThat(op.fleet.group(asg(hc)).orElseThrow().suspendedProcesses()).containsExactly("ReplaceUnhealthy");

        op.fleet.apply(AwsScope.own("us-east-1"), new AsgAction.ResumeReplaceUnhealthy(asg(hc))); // a person, with the AWS CLI
        assertThat(op.fleet.group(asg(hc)).orElseThrow().suspendedProcesses()).isEmpty();
        op.run(2, TICK);
        assertThat(op.fleet.group(asg(hc)).orElseThrow().suspendedProcesses()).containsExactly("ReplaceUnhealthy");
        assertThat(op.events.count(Reason.HealingProcessSuspended)).isEqualTo(1);

        String victim = op.fleet.serving(asg(hc)).get(0);
        op.fleet.stop(victim);
        op.run(4, TICK);
        assertThat(op.fleet.state(victim)).isEqualTo("terminated");
        assertThat(op.fleet.serving(asg(hc))).hasSize(2).doesNotContain(victim);
        assertThat(hc.getStatus().recentRemediations).singleElement().satisfies(r -> {
            assertThat(r.instanceId).isEqualTo(victim);
            assertThat(r.reason).isEqualTo("Stopped");
        });
        assertThat(Conditions.isTrue(hc.getStatus().conditions, ConditionType.RemediationBlocked)).isFalse();
    }

    /** The record is written before the termination: while it cannot be written, nothing is terminated. */
    @Test
    void aReplacementIsRecordedBeforeItsMachineIsTerminated() {
        HealingCluster hc = settled(cluster("journal", 2));
        String victim = op.fleet.serving(asg(hc)).get(0);
        op.journal.refuse(true);
        op.fleet.stop(victim);
        op.run(6, TICK);
        assertThat(op.fleet.state(victim)).as("not terminated while its record cannot be written").isEqualTo("stopped");
        assertThat(op.fleet.calls("TerminateInstanceInAutoScalingGroup")).isZero();

        op.journal.refuse(false);
        op.run(4, TICK);
        assertThat(op.fleet.state(victim)).isEqualTo("terminated");
        assertThat(hc.getStatus().recentRemediations).filteredOn(r -> r.instanceId.equals(victim)).hasSize(1);
        assertThat(op.fleet.serving(asg(hc))).hasSize(2);
    }

    /** A playbook longer than startupTimeout: the machine is Bootstrapping (the bootstrap's own bound), not replaced. */
    @Test
    void aBootstrapLongerThanStartupTimeoutIsBootstrappingNotReplaced() {
        List<JobStatus> slow = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            slow.add(JobStatus.of(BootstrapPhase.Running));
        }
        slow.add(JobStatus.of(BootstrapPhase.Succeeded));
        op.runner.answer(slow.toArray(JobStatus[]::new));
        HealingCluster hc = withGatedBootstrap(cluster("slow", 1));
        hc.getSpec().bootstrap.gateLaunch = false;
        hc.getSpec().bootstrap.maxAttempts = 3;
        hc.getSpec().health.startupTimeout = "1m";
        op.clusters.add(hc);
        op.run(3, TICK);
        String machine = op.fleet.serving(asg(hc)).get(0);
        assertThat(rows(hc)).singleElement().satisfies(r -> assertThat(r.health).isEqualTo(InstanceHealth.Bootstrapping));

        op.run(15, TICK); // 150 s: well past startupTimeout, the playbook still runs
        assertThat(rows(hc)).singleElement().satisfies(r -> {
            assertThat(r.instanceId).isEqualTo(machine);
            assertThat(r.health).isEqualTo(InstanceHealth.Bootstrapping);
            assertThat(r.reason).isNull();
        });
        assertThat(op.fleet.calls("TerminateInstanceInAutoScalingGroup")).isZero();

        op.run(30, TICK);
        assertThat(rows(hc)).singleElement().satisfies(r -> {
            assertThat(r.instanceId).isEqualTo(machine);
            assertThat(r.health).isEqualTo(InstanceHealth.Healthy);
        });
        assertThat(hc.getStatus().recentRemediations).isEmpty();
        assertThat(op.runner.triggered).hasSize(1);
    }
}
