package io.autoheal.fast;

import static io.autoheal.fast.FastResources.cluster;
import static io.autoheal.fast.FastResources.pool;
import static io.autoheal.fast.FastResources.withDrain;
import static io.autoheal.fast.FastResources.withGatedBootstrap;
import static io.autoheal.fast.FastResources.withPool;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.bootstrap.BootstrapPhase;
import io.autoheal.bootstrap.JobStatus;
import io.autoheal.fleet.ObservedAsg;
import io.autoheal.fleet.Tags;
import io.autoheal.cluster.ClusterNames;
import io.autoheal.fleet.LaunchGate;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.kube.Reason;
import io.autoheal.testing.FastOperator;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fast tier: the real reconcilers on an in-memory fleet, whole reconcile loops in milliseconds (the sandbox suites
 * remain the proof against real peers). Each tick is one resync of every resource, ten seconds apart.
 */
@Tag("fast")
class ReconcileLoopFastTest {
    static final Duration TICK = Duration.ofSeconds(10);
    final FastOperator op = new FastOperator();

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

    @Test
    void aNewClusterGetsItsGroupAtSizeWithReplaceUnhealthySuspended() {
        HealingCluster hc = settled(cluster("a", 3));
        ObservedAsg group = op.fleet.group(asg(hc)).orElseThrow();
        assertThat(group.desired()).isEqualTo(3);
        assertThat(group.suspendedProcesses()).containsExactly("ReplaceUnhealthy");
        assertThat(group.tags()).containsEntry(Tags.CLUSTER, FastResources.NAMESPACE + "/a");
        assertThat(group.members()).extracting(ObservedAsg.AsgMember::lifecycleState).containsOnly("InService");
        assertThat(hc.getStatus().readyReplicas).isEqualTo(3);
        assertThat(op.fleet.calls("CreateAutoScalingGroup")).isEqualTo(1);
    }

    @Test
    void atRestAPassWritesNothingToAws() {
        settled(cluster("a", 3));
        Map<String, Integer> before = Map.copyOf(op.fleet.calls);
        op.run(5, TICK);
        Set<String> writes = new HashSet<>(op.fleet.calls.keySet());
        writes.removeIf(o -> o.startsWith("Describe") || op.fleet.calls.get(o).equals(before.get(o)));
        assertThat(writes).isEmpty();
    }

    @Test
    void aStoppedMachineIsReplacedAndTheReplacementServes() {
        HealingCluster hc = settled(cluster("a", 3));
        String victim = op.fleet.serving(asg(hc)).get(1);
        op.fleet.stop(victim);
        op.run(4, TICK);
        assertThat(op.fleet.state(victim)).isEqualTo("terminated");
        assertThat(op.fleet.serving(asg(hc))).hasSize(3).doesNotContain(victim);
        assertThat(hc.getStatus().recentRemediations).singleElement().satisfies(r -> assertThat(r.instanceId).isEqualTo(victim));
        assertThat(op.events.count(Reason.Remediated)).isEqualTo(1);
        assertThat(Conditions.isTrue(hc.getStatus().conditions, ConditionType.Ready)).isTrue();
    }

    @Test
    void theHourlyCapHoldsWhenSeveralDieAndTheRestWaitForTheWindow() {
        HealingCluster hc = cluster("a", 5);
        hc.getSpec().health.maxRemediationsPerHour = 2;
        hc.getSpec().health.maxUnhealthy = new IntOrString("100%");
        settled(hc);
        List<String> victims = op.fleet.serving(asg(hc)).subList(0, 3);
        victims.forEach(op.fleet::stop);
        op.run(12, TICK);
        assertThat(victims.stream().filter(v -> op.fleet.state(v).equals("terminated"))).hasSize(2);
        assertThat(hc.getStatus().recentRemediations).hasSize(2);
        op.clock.advance(Duration.ofHours(1));
        op.run(4, TICK);
        assertThat(victims).allSatisfy(v -> assertThat(op.fleet.state(v)).isEqualTo("terminated"));
        assertThat(op.fleet.serving(asg(hc))).hasSize(5);
    }

    @Test
    void moreUnhealthyMachinesThanMaxUnhealthyBlockEveryReplacement() {
        HealingCluster hc = settled(cluster("a", 5)); // 40% of 5: two may be replaced, three is an outage
        List<String> victims = op.fleet.serving(asg(hc)).subList(0, 3);
        victims.forEach(op.fleet::stop);
        op.run(8, TICK);
        assertThat(victims).allSatisfy(v -> assertThat(op.fleet.state(v)).isEqualTo("stopped"));
        assertThat(op.fleet.calls("TerminateInstanceInAutoScalingGroup")).isZero();
        assertThat(Conditions.isTrue(hc.getStatus().conditions, ConditionType.RemediationBlocked)).isTrue();
    }

    /**
     * The replacement gets its predecessor's address although two lower free ones are in the pool: an allocator that
     * hands out any free address (the lowest id first) fails this.
     */
    @Test
    void theReplacementGetsItsPredecessorsAddress() {
        String lowA = op.fleet.addAddress(Map.of());
        String lowB = op.fleet.addAddress(Map.of());
        op.pools.add(pool("edge", 3));
        HealingCluster hc = settled(withPool(cluster("a", 3), "edge"));
        op.run(3, TICK);
        Map<String, String> held = op.fleet.serving(asg(hc)).stream().collect(Collectors.toMap(i -> i, op.fleet::addressOf));
        assertThat(held.values()).doesNotContainNull().doesNotHaveDuplicates().doesNotContain(lowA, lowB);
        String poolKey = FastResources.NAMESPACE + "/edge";
        op.fleet.tagAddress(lowA, Tags.POOL, poolKey); // two more addresses join the pool, free and lower than any held
        op.fleet.tagAddress(lowB, Tags.POOL, poolKey);
        op.run(2, TICK);
        String victim = op.fleet.serving(asg(hc)).get(1);
        String itsAddress = held.get(victim);
        op.fleet.stop(victim);
        op.run(8, TICK);
        List<String> successors = new ArrayList<>(op.fleet.serving(asg(hc)));
        successors.removeAll(held.keySet());
        assertThat(successors).singleElement().satisfies(s -> assertThat(op.fleet.addressOf(s)).isEqualTo(itsAddress));
        assertThat(op.fleet.holderOf(lowA)).as("a lower free address stays free").isNull();
        assertThat(op.fleet.holderOf(lowB)).as("a lower free address stays free").isNull();
        held.keySet().stream().filter(i -> !i.equals(victim)).forEach(i -> assertThat(op.fleet.addressOf(i)).isEqualTo(held.get(i)));
    }

    @Test
    void aNewMachineSpecRollsOutOneMachineAtATime() {
        HealingCluster hc = settled(cluster("a", 3));
        List<String> original = op.fleet.serving(asg(hc));
        hc.getSpec().template.machine.instanceType = "t3.small";
        hc.getMetadata().setGeneration(2L);
        int mostInFlight = 0;
        for (int i = 0; i < 40 && !rolledOut(hc); i++) {
            op.tick(TICK);
            ObservedAsg group = op.fleet.group(asg(hc)).orElseThrow();
            int notServing = (int) group.members().stream().filter(m -> !"InService".equals(m.lifecycleState())).count();
            mostInFlight = Math.max(mostInFlight, notServing);
        }
        assertThat(op.fleet.serving(asg(hc))).hasSize(3).doesNotContainAnyElementsOf(original)
                .allSatisfy(id -> assertThat(op.fleet.templateVersionOf(asg(hc), id)).isEqualTo("2"));
        // One machine out of service at a time (the old one leaving, then its successor booting); all at once would be 3.
        assertThat(mostInFlight).as("machines out of service at once during the rollout").isEqualTo(1);
        assertThat(op.fleet.calls("TerminateInstanceInAutoScalingGroup")).isEqualTo(3);
    }

    /**
     * No endless surge: a new version whose machines never boot surges one machine, which fails, leaves counted as a
     * replacement and stops the rollout (RolloutStopped, one Warning Event); one more try an hour after, never one
     * machine per startup timeout. The old machines keep serving throughout.
     */
    @Test
    void aBrokenVersionSurgesABoundedNumberOfTimesThenTheRolloutStops() {
        HealingCluster hc = settled(cluster("a", 3));
        List<String> original = op.fleet.serving(asg(hc));
        op.fleet.brokenVersions.add("2");
        hc.getSpec().template.machine.instanceType = "t3.small";
        hc.getMetadata().setGeneration(2L);
        op.run(6 * 60 * 3, TICK); // three hours: without the stop, one surge per startup timeout (10 min) would be ~16
        long surges = op.events.recorded.stream().filter(e -> e.reason() == Reason.Surged).count();
        assertThat(surges).as("surges of a broken version in three hours").isBetween(1L, 4L);
        assertThat(op.fleet.serving(asg(hc))).containsExactlyInAnyOrderElementsOf(original);
        assertThat(Conditions.find(hc.getStatus().conditions, ConditionType.RolloutStopped)).hasValueSatisfying(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getMessage()).contains("version 2", "StartupTimeout");
        });
        assertThat(op.events.recorded).filteredOn(e -> e.reason() == Reason.RolloutStopped).allMatch(FastOperator.Events.Recorded::warning)
                .hasSizeBetween(1, (int) surges);
        assertThat(op.events.recorded).filteredOn(e -> e.reason() == Reason.Remediated && e.message().contains("StartupTimeout"))
                .as("each failed surged machine is a counted replacement").hasSize((int) surges);
        assertThat(hc.getStatus().recentRemediations).isNotEmpty()
                .allSatisfy(r -> assertThat(r.reason).isEqualTo("StartupTimeout"))
                .allSatisfy(r -> assertThat(r.version).isEqualTo("2"));
    }

    /** The executor: one failed terminate is an AwsError Event, and the next replacement of the same pass still runs. */
    @Test
    void aFailedTerminateIsReportedAndTheNextReplacementStillRuns() {
        HealingCluster hc = cluster("a", 5);
        hc.getSpec().health.maxUnhealthy = new IntOrString("60%");
        settled(hc);
        List<String> victims = op.fleet.serving(asg(hc)).subList(0, 2);
        victims.forEach(op.fleet::stop);
        op.fleet.faults.fail("TerminateInstanceInAutoScalingGroup", "ServiceUnavailable", 503, 1);
        op.tick(TICK);
        assertThat(op.events.count(Reason.AwsError)).as("the failed terminate, said").isEqualTo(1);
        assertThat(op.events.count(Reason.Remediated)).as("the other replacement of the same pass ran").isEqualTo(1);
        assertThat(hc.getStatus().recentRemediations).as("both recorded before either terminate").hasSize(2);
        op.run(4, TICK);
        assertThat(victims).allSatisfy(v -> assertThat(op.fleet.state(v)).isEqualTo("terminated"));
        assertThat(hc.getStatus().recentRemediations).as("the retried one is not recorded twice").hasSize(2);
    }

    /** Healing never waits on the pool reference: a missing pool is a condition, and a stopped machine is still replaced. */
    @Test
    void aMissingPoolDegradesItsConditionAndHealingGoesOn() {
        HealingCluster hc = settled(cluster("a", 3));
        withPool(hc, "gone");
        op.tick(TICK);
        assertThat(Conditions.find(hc.getStatus().conditions, ConditionType.Degraded))
                .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo(Reason.PoolNotFound.name()));
        String victim = op.fleet.serving(asg(hc)).get(0);
        op.fleet.stop(victim);
        op.run(4, TICK);
        assertThat(op.fleet.state(victim)).isEqualTo("terminated");
        assertThat(op.fleet.serving(asg(hc))).hasSize(3).doesNotContain(victim);
        assertThat(op.events.count(Reason.Remediated)).isEqualTo(1);
        assertThat(op.events.count(Reason.PoolNotFound)).as("said on every pass while it lasts").isGreaterThanOrEqualTo(5);
    }

    private boolean rolledOut(HealingCluster hc) {
        List<String> serving = op.fleet.serving(asg(hc));
        return serving.size() == 3 && serving.stream().allMatch(id -> "2".equals(op.fleet.templateVersionOf(asg(hc), id))
                && "InService".equals(op.fleet.lifecycle(asg(hc), id)));
    }

    @Test
    void theLaunchGateHoldsAMachineUntilItsBootstrapSucceeds() {
        op.runner.answer(JobStatus.of(BootstrapPhase.Running), JobStatus.of(BootstrapPhase.Running), JobStatus.of(BootstrapPhase.Running),
                JobStatus.of(BootstrapPhase.Succeeded));
        HealingCluster hc = withGatedBootstrap(cluster("a", 1));
        op.clusters.add(hc);
        op.run(3, TICK);
        String machine = op.fleet.serving(asg(hc)).get(0);
        assertThat(op.fleet.group(asg(hc)).orElseThrow().launchHooks()).containsExactly(LaunchGate.HOOK_NAME);
        assertThat(op.fleet.lifecycle(asg(hc), machine)).isEqualTo("Pending:Wait");
        assertThat(op.runner.triggered).hasSize(1);
        assertThat(op.fleet.instanceTags(machine)).containsEntry(Tags.BOOTSTRAP_JOB, "job-1");
        op.run(6, TICK);
        assertThat(op.fleet.lifecycle(asg(hc), machine)).isEqualTo("InService");
        assertThat(op.runner.triggered).hasSize(1);
    }

    @Test
    void aFailedBootstrapAbandonsTheMachineAndTheGroupLaunchesAnother() {
        op.runner.answer(JobStatus.failed("playbook failed"));
        HealingCluster hc = withGatedBootstrap(cluster("a", 1));
        op.clusters.add(hc);
        op.run(3, TICK);
        String first = op.fleet.serving(asg(hc)).get(0);
        op.run(4, TICK);
        assertThat(op.fleet.state(first)).isEqualTo("terminated");
        assertThat(op.fleet.calls("CompleteLifecycleAction")).isEqualTo(1);
        assertThat(op.fleet.serving(asg(hc))).hasSize(1).doesNotContain(first);
    }

    @Test
    void anIamRefusalBecomesAConditionAndTheNextPassRecovers() {
        op.fleet.faults.fail("CreateAutoScalingGroup", "AccessDenied", 403, 1);
        HealingCluster hc = cluster("a", 2);
        op.clusters.add(hc);
        op.tick(TICK);
        assertThat(op.fleet.group(asg(hc))).isEmpty();
        assertThat(Conditions.find(hc.getStatus().conditions, ConditionType.Degraded)).hasValueSatisfying(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo(Reason.AwsAccessDenied.name());
            assertThat(c.getMessage()).as("names the denied action and the policy").contains("CreateAutoScalingGroup", "deploy/aws/iam-policy.json");
        });
        assertThat(op.events.count(Reason.AwsAccessDenied)).isPositive();
        op.run(4, TICK);
        assertThat(op.fleet.serving(asg(hc))).hasSize(2);
        assertThat(Conditions.isTrue(hc.getStatus().conditions, ConditionType.Ready)).isTrue();
    }

    /**
     * Healing with spec.drain: an impaired machine's termination waits in Terminating:Wait; the drain job is triggered only after a status reported the machine leaving (what discovery
     * publishes), runs (stub runner), and then CONTINUE lets it go — the whole loop in milliseconds.
     */
    @Test
    void healingWithDrainWaitsInTerminatingWaitRunsTheDrainJobThenContinues() {
        HealingCluster hc = settled(withDrain(cluster("d", 2)));
        op.runner.answer(JobStatus.of(BootstrapPhase.Running), JobStatus.of(BootstrapPhase.Succeeded));
        String victim = op.fleet.serving(asg(hc)).get(0);
        op.fleet.impair(victim); // failing its status checks but running: it can be drained (a stopped one cannot)
        boolean reported = false;
        for (int i = 0; i < 60 && !reported; i++) {
            op.tick(TICK);
            reported = hc.getStatus().instances.stream().anyMatch(r -> r.instanceId.equals(victim)
                    && r.health == io.autoheal.api.v1alpha1.InstanceHealth.Leaving && "Terminating:Wait".equals(r.lifecycle));
        }
        assertThat(reported).as("the status reports the victim leaving, in Terminating:Wait").isTrue();
        assertThat(op.runner.triggered).as("no drain before a status reported it leaving (discovery published that)").isEmpty();
        op.tick(TICK);
        assertThat(op.runner.triggered).singleElement().satisfies(r -> {
            assertThat(r.instanceId()).isEqualTo(victim);
            assertThat(r.roles()).containsExactly("drain");
        });
        assertThat(op.fleet.instanceTags(victim)).containsEntry(Tags.DRAIN_JOB, "job-1");
        assertThat(op.fleet.lifecycle(asg(hc), victim)).isEqualTo("Terminating:Wait");
        assertThat(op.fleet.calls("CompleteLifecycleAction")).isZero();
        op.run(4, TICK);
        assertThat(op.fleet.state(victim)).isEqualTo("terminated");
        assertThat(op.fleet.calls("CompleteLifecycleAction")).isEqualTo(1);
        assertThat(op.runner.triggered).as("one drain job, never triggered twice").hasSize(1);
        assertThat(op.events.count(Reason.DrainSucceeded)).isEqualTo(1);
        assertThat(op.events.count(Reason.TerminationContinued)).isEqualTo(1);
        assertThat(op.fleet.serving(asg(hc))).hasSize(2).doesNotContain(victim);
    }
}
