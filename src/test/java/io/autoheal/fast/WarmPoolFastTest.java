package io.autoheal.fast;

import static io.autoheal.fast.FastResources.NAMESPACE;
import static io.autoheal.fast.FastResources.cluster;
import static io.autoheal.fast.FastResources.pool;
import static io.autoheal.fast.FastResources.withGatedBootstrap;
import static io.autoheal.fast.FastResources.withPool;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.InstanceHealth;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.api.v1alpha1.WarmPoolSpec;
import io.autoheal.api.v1alpha1.WarmPoolState;
import io.autoheal.bootstrap.BootstrapPhase;
import io.autoheal.bootstrap.BootstrapRequest;
import io.autoheal.bootstrap.BootstrapRunner;
import io.autoheal.bootstrap.JobStatus;
import io.autoheal.bootstrap.TriggerResult;
import io.autoheal.cluster.ClusterNames;
import io.autoheal.fleet.Installations;
import io.autoheal.fleet.WarmPools;
import io.autoheal.kube.Reason;
import io.autoheal.testing.FastOperator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * spec.warmPool on the in-memory fleet: a spare bootstraps while warmed (held at its launch hook), then stops; a stopped
 * machine's replacement is the spare, Ready with its predecessor's Elastic IP without a new bootstrap job; a spare that
 * fails its bootstrap is replaced in the pool outside the healing budget.
 */
@Tag("fast")
class WarmPoolFastTest {
    static final Duration BOOTSTRAP = Duration.ofSeconds(20);
    final FastOperator op = new FastOperator();
    final SlowBootstrapper bootstrapper = new SlowBootstrapper();

    /** Every job runs 20 s on the test clock, then succeeds (or fails, for the hosts named in {@code failing}). */
    final class SlowBootstrapper implements BootstrapRunner {
        final List<BootstrapRequest> triggered = new ArrayList<>();
        final Map<String, Instant> started = new HashMap<>();
        final Map<String, String> hostOf = new HashMap<>();
        final java.util.Set<String> failing = new java.util.HashSet<>();

        @Override
        public synchronized TriggerResult trigger(BootstrapRequest request) {
            triggered.add(request);
            String job = "job-" + triggered.size();
            started.put(job, op.clock.instant());
            hostOf.put(job, request.instanceId());
            return TriggerResult.started(job);
        }

        @Override
        public synchronized JobStatus status(String jobId, String host) {
            if (op.clock.instant().isBefore(started.get(jobId).plus(BOOTSTRAP))) {
                return JobStatus.of(BootstrapPhase.Running);
            }
            return JobStatus.of(failing.contains(hostOf.get(jobId)) ? BootstrapPhase.Failed : BootstrapPhase.Succeeded);
        }

        synchronized long jobsFor(String instanceId) {
            return triggered.stream().filter(r -> r.instanceId().equals(instanceId)).count();
        }
    }

    HealingCluster warmCluster() {
        HealingCluster hc = withPool(withGatedBootstrap(cluster("warm", 2)), "ips");
        hc.getSpec().warmPool = new WarmPoolSpec(1, WarmPoolState.Stopped);
        op.runnerOverride = bootstrapper;
        op.pools.add(pool("ips", 3));
        op.clusters.add(hc);
        return hc;
    }

    @Test
    void aStoppedMachinesReplacementIsTheBootstrappedSpareReadyWithItsPredecessorsAddressWithoutANewJob() {
        HealingCluster hc = warmCluster();
        String asg = asg(hc);
        op.run(12, Duration.ofSeconds(5)); // two members and one spare, each through a 20 s bootstrap
        assertThat(ready(hc)).hasSize(2);
        Map<String, String> spares = op.fleet.spares(asg);
        assertThat(spares).hasSize(1).containsValue("Warmed:Stopped");
        String spare = spares.keySet().iterator().next();
        assertThat(op.fleet.instanceTags(spare)).containsKey(WarmPools.BOOTSTRAPPED_TAG);
        assertThat(op.fleet.state(spare)).isEqualTo("stopped");
        assertThat(op.fleet.addressOf(spare)).as("a spare gets no Elastic IP").isNull();
        assertThat(hc.getStatus().instances).extracting(r -> r.instanceId).doesNotContain(spare);
        assertThat(hc.getStatus().warmSpares).singleElement().satisfies(r -> {
            assertThat(r.instanceId).isEqualTo(spare);
            assertThat(r.bootstrap.phase).isEqualTo("Succeeded");
        });
        assertThat(bootstrapper.jobsFor(spare)).isEqualTo(1);
        assertThat(op.events.count(Reason.WarmSpareReady)).isEqualTo(1);

        String victim = ready(hc).get(0).instanceId;
        String address = op.fleet.addressOf(victim);
        assertThat(address).isNotNull();
        int jobsBefore = bootstrapper.triggered.size();
        // As after a restart with a stale status: the spares' rows are gone; the instance's tag alone must say it is bootstrapped.
        hc.getStatus().warmSpares = null;
        op.fleet.stop(victim);
        Instant stoppedAt = op.clock.instant();
        Duration took = null;
        for (int i = 0; i < 10 && took == null; i++) {
            op.tick(Duration.ofSeconds(1));
            if (ready(hc).stream().anyMatch(r -> r.instanceId.equals(spare) && address.equals(op.fleet.addressOf(spare)))) {
                took = Duration.between(stoppedAt, op.clock.instant());
            }
        }
        System.out.println("warm pool (fast tier): stopped machine -> spare Ready with its address in " + took + " of test clock (1 s passes)");
        assertThat(took).as("the spare Ready with %s's address", victim).isNotNull().isLessThan(BOOTSTRAP.dividedBy(4));
        assertThat(bootstrapper.jobsFor(spare)).as("no new bootstrap job for the spare in service").isEqualTo(1);
        assertThat(bootstrapper.triggered.subList(jobsBefore, bootstrapper.triggered.size())).extracting(BootstrapRequest::instanceId)
                .as("only the pool's new spare bootstraps").doesNotContain(spare).allMatch(id -> op.fleet.spares(asg).containsKey(id));
        assertThat(op.events.count(Reason.WarmSpareInService)).isEqualTo(1);
        assertThat(hc.getStatus().recentRemediations).extracting(r -> r.instanceId).containsExactly(victim);
    }

    @Test
    void aSpareThatFailsItsBootstrapIsReplacedInThePoolOutsideTheHealingBudget() {
        HealingCluster hc = warmCluster();
        String asg = asg(hc);
        op.run(2, Duration.ofSeconds(1));
        String first = op.fleet.spares(asg).keySet().iterator().next();
        bootstrapper.failing.add(first);
        Optional<String> next = Optional.empty();
        for (int i = 0; i < 20 && next.isEmpty(); i++) {
            op.tick(Duration.ofSeconds(5));
            next = op.fleet.spares(asg).keySet().stream().filter(id -> !id.equals(first)).findFirst();
        }
        assertThat(next).as("another spare in the pool").isPresent();
        assertThat(op.fleet.state(first)).isIn("shutting-down", "terminated");
        assertThat(op.events.count(Reason.WarmSpareReplaced)).isEqualTo(1);
        assertThat(op.events.recorded).filteredOn(e -> e.reason() == Reason.WarmSpareReplaced).singleElement()
                .satisfies(e -> assertThat(e.message()).contains(first).contains("not counted"));
        assertThat(Optional.ofNullable(hc.getStatus().recentRemediations).orElse(List.of())).as("the healing budget is untouched").isEmpty();
        op.run(8, Duration.ofSeconds(5));
        assertThat(op.fleet.spares(asg)).containsEntry(next.get(), "Warmed:Stopped");
        assertThat(ready(hc)).hasSize(2);
    }

    /**
     * A group adopted with a warm pool a person made (no autoheal.io/warm-pool mark), spec.warmPool unset, bootstrap
     * gated: the pool and its prepared spare survive — no DeleteWarmPool, no replacement for lacking the bootstrap, no
     * job — and the cluster says so once (WarmPoolNotOwned), not once per pass.
     */
    @Test
    void aHandMadeWarmPoolOnAnAdoptedGroupSurvivesAndIsSaidOnce() {
        String asg = "hand-made";
        op.fleet.seedGroup(asg, Map.of(), 2, "lt-hand", "1", List.of("subnet-0aaaaaaaaaaaaaaa1"));
        op.fleet.seedMachine(asg, "i-0000000000000a001", "us-west-2a", op.clock.instant(), "running", "ok");
        op.fleet.seedMachine(asg, "i-0000000000000a002", "us-west-2b", op.clock.instant(), "running", "ok");
        List<String> spares = op.fleet.seedWarmPool(asg, 1, "Stopped", op.clock.instant());
        HealingCluster hc = withGatedBootstrap(cluster("adopted", 2));
        hc.getSpec().autoScalingGroupName = asg;
        op.runnerOverride = bootstrapper;
        op.clusters.add(hc);

        op.run(12, Duration.ofSeconds(5));

        assertThat(op.fleet.group(asg).orElseThrow().launchHooks()).as("adopted: the operator's launch hook is on the group")
                .contains(io.autoheal.fleet.LaunchGate.HOOK_NAME);
        assertThat(op.fleet.calls("DeleteWarmPool", "PutWarmPool")).as("the hand-made pool is neither deleted nor put").isZero();
        assertThat(op.fleet.spares(asg)).as("its spare is untouched").containsExactly(Map.entry(spares.get(0), "Warmed:Stopped"));
        assertThat(op.fleet.state(spares.get(0))).isEqualTo("stopped");
        assertThat(op.fleet.instanceTags(spares.get(0))).doesNotContainKey(WarmPools.BOOTSTRAPPED_TAG);
        assertThat(bootstrapper.jobsFor(spares.get(0))).isZero();
        assertThat(op.fleet.group(asg).orElseThrow().tags()).doesNotContainKey(WarmPools.OWNER_TAG);
        assertThat(op.events.count(Reason.WarmSpareReplaced)).isZero();
        assertThat(op.events.recorded).filteredOn(e -> e.reason() == Reason.WarmPoolNotOwned).singleElement()
                .satisfies(e -> assertThat(e.message()).contains(asg).contains(WarmPools.OWNER_TAG).contains("left alone"));

        // spec.warmPool set: the operator takes the pool over (its mark first), and then owns its deletion too
        hc.getSpec().warmPool = new WarmPoolSpec(1, WarmPoolState.Stopped);
        op.run(2, Duration.ofSeconds(5));
        assertThat(op.fleet.group(asg).orElseThrow().tags()).containsEntry(WarmPools.OWNER_TAG, Installations.LEGACY);
        hc.getSpec().warmPool = null;
        op.run(3, Duration.ofSeconds(5));
        assertThat(op.fleet.calls("DeleteWarmPool")).isEqualTo(1);
        assertThat(op.fleet.group(asg).orElseThrow().warmPool()).isNull();
        assertThat(op.fleet.group(asg).orElseThrow().tags()).as("the mark goes with our pool").doesNotContainKey(WarmPools.OWNER_TAG);
    }

    private List<InstanceStatus> ready(HealingCluster hc) {
        return hc.getStatus() == null || hc.getStatus().instances == null ? List.of()
                : hc.getStatus().instances.stream().filter(r -> r.health == InstanceHealth.Healthy && r.eipAllocationId != null).toList();
    }

    private static String asg(HealingCluster hc) {
        return ClusterNames.asgName(hc, Installations.LEGACY, List.of());
    }
}
