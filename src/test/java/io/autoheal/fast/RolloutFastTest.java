package io.autoheal.fast;

import static io.autoheal.fast.FastResources.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.RolloutPhase;
import io.autoheal.api.v1alpha1.RolloutSpec;
import io.autoheal.cluster.ClusterNames;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.kube.Reason;
import io.autoheal.testing.FastOperator;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** spec.rollout on the real reconcilers and the in-memory fleet: bake, checkpoint, failure and rollback. */
@Tag("fast")
class RolloutFastTest {
    static final Duration TICK = Duration.ofSeconds(10);
    final FastOperator op = new FastOperator();
    final List<String> progressing = new ArrayList<>();
    final Set<String> seenOnV2 = new TreeSet<>();
    int fewestOld = Integer.MAX_VALUE;
    /** Ready (status:reason) in every tick that ended with the rollout RollingBack. */
    final Set<String> readyWhileRollingBack = new TreeSet<>();

    private HealingCluster settled(RolloutSpec rollout) {
        HealingCluster hc = cluster("roll", 3);
        hc.getSpec().rollout = rollout;
        op.clusters.add(hc);
        op.run(6, TICK);
        assertThat(op.fleet.serving(asg(hc))).hasSize(3);
        assertThat(hc.getStatus().rollout.phase).isEqualTo(RolloutPhase.Complete);
        assertThat(hc.getStatus().rollout.stableVersion).isEqualTo("1");
        return hc;
    }

    /** A new instance type: the operator's launch template gets version 2; a new generation. */
    private void newVersion(HealingCluster hc) {
        hc.getSpec().template.machine.instanceType = "t3.small";
        hc.getMetadata().setGeneration(hc.getMetadata().getGeneration() + 1);
    }

    private void run(HealingCluster hc, int ticks) {
        for (int i = 0; i < ticks; i++) {
            op.tick(TICK);
            String group = asg(hc);
            List<String> serving = op.fleet.serving(group);
            serving.stream().filter(id -> "2".equals(op.fleet.templateVersionOf(group, id))).forEach(seenOnV2::add);
            fewestOld = Math.min(fewestOld, (int) serving.stream().filter(id -> "1".equals(op.fleet.templateVersionOf(group, id))).count());
            Condition p = Conditions.find(hc.getStatus().conditions, ConditionType.Progressing).orElseThrow();
            String now = p.getStatus() + ":" + p.getReason();
            if (progressing.isEmpty() || !progressing.get(progressing.size() - 1).equals(now)) {
                progressing.add(now);
            }
            if (hc.getStatus().rollout != null && hc.getStatus().rollout.phase == RolloutPhase.RollingBack) {
                Condition ready = Conditions.find(hc.getStatus().conditions, ConditionType.Ready).orElseThrow();
                readyWhileRollingBack.add(ready.getStatus() + ":" + ready.getReason());
            }
        }
    }

    @Test
    void aVersionWhoseMachinesFailStopsAfterTheFirstNewMachineAndRollsBack() {
        HealingCluster hc = settled(new RolloutSpec());
        op.fleet.brokenVersions.add("2"); // its machines never boot: StartupTimeout after 10 minutes
        newVersion(hc);
        run(hc, 150); // 25 minutes

        assertThat(seenOnV2).as("new-version machines ever launched").hasSize(1);
        assertThat(fewestOld).as("old machines serving at the fewest").isGreaterThanOrEqualTo(2);
        String group = asg(hc);
        assertThat(op.fleet.serving(group)).hasSize(3)
                .allSatisfy(id -> assertThat(op.fleet.templateVersionOf(group, id)).isEqualTo("1"));
        assertThat(hc.getStatus().rollout.phase).isEqualTo(RolloutPhase.Failed);
        assertThat(readyWhileRollingBack).as("Ready while rolling back").containsExactly("False:RollingBack");
        assertThat(hc.getStatus().recentRemediations).as("the failed new machine is journaled for its failure, not as a roll")
                .filteredOn(r -> "2".equals(r.version)).isNotEmpty().allSatisfy(r -> assertThat(r.reason).isEqualTo("StartupTimeout"));
        assertThat(op.fleet.group(group).orElseThrow().launchTemplateVersion()).as("the group launches from the stable version again")
                .isEqualTo("1");
        // a machine lost now is replaced by a stable one, not by the failed version
        String lost = op.fleet.serving(group).get(0);
        op.fleet.brokenVersions.clear();
        op.fleet.stop(lost);
        run(hc, 30);
        assertThat(op.fleet.serving(group)).hasSize(3)
                .allSatisfy(id -> assertThat(op.fleet.templateVersionOf(group, id)).isEqualTo("1"));
        assertThat(seenOnV2).hasSize(1);
        assertThat(hc.getStatus().rollout.phase).isEqualTo(RolloutPhase.Failed);
        assertThat(op.events.count(Reason.RolledBack)).as("one Warning for the rollback, one for its end").isEqualTo(2);
        assertThat(hc.getStatus().rollout.failedVersion).isEqualTo("2");
        assertThat(hc.getStatus().rollout.stableVersion).isEqualTo("1");
        Condition p = Conditions.find(hc.getStatus().conditions, ConditionType.Progressing).orElseThrow();
        assertThat(p.getStatus()).isEqualTo("False");
        assertThat(p.getReason()).isEqualTo(Reason.RolledBack.name());
        assertThat(p.getMessage()).contains("2", "StartupTimeout");
        assertThat(p.getObservedGeneration()).isEqualTo(2L);
        assertThat(op.events.recorded).anyMatch(e -> e.warning() && e.reason() == Reason.RolledBack);

        // a spec change (a new generation; the version meanwhile fixed) starts a new rollout to it, which completes
        hc.getMetadata().setGeneration(hc.getMetadata().getGeneration() + 1);
        run(hc, 120);
        assertThat(hc.getStatus().rollout.phase).isEqualTo(RolloutPhase.Complete);
        assertThat(hc.getStatus().rollout.stableVersion).isEqualTo("2");
        assertThat(hc.getStatus().rollout.failedVersion).isNull();
        assertThat(op.fleet.serving(group)).hasSize(3).allSatisfy(id -> assertThat(op.fleet.templateVersionOf(group, id)).isEqualTo("2"));
    }

    @Test
    void aCheckpointWaitsUntilResumed() {
        RolloutSpec spec = new RolloutSpec();
        spec.bakeTime = "1m";
        spec.pauseAtPercent = List.of(30);
        HealingCluster hc = settled(spec);
        newVersion(hc);
        run(hc, 60); // 10 minutes: one machine rolls, then the checkpoint holds
        assertThat(hc.getStatus().rollout.phase).isEqualTo(RolloutPhase.Paused);
        assertThat(hc.getStatus().rollout.pausedAtPercent).isEqualTo(30);
        assertThat(hc.getStatus().rollout.updated).isEqualTo(1);
        assertThat(Conditions.find(hc.getStatus().conditions, ConditionType.Progressing).orElseThrow().getReason())
                .isEqualTo(Reason.RolloutPaused.name());

        hc.getMetadata().setAnnotations(Map.of("autoheal.io/rollout-resume", "2/30"));
        run(hc, 90);
        assertThat(hc.getStatus().rollout.phase).isEqualTo(RolloutPhase.Complete);
        assertThat(hc.getStatus().rollout.stableVersion).isEqualTo("2");
        String group = asg(hc);
        assertThat(op.fleet.serving(group)).hasSize(3).allSatisfy(id -> assertThat(op.fleet.templateVersionOf(group, id)).isEqualTo("2"));
    }

    @Test
    void aHealthyRolloutBakesEachMachineAndCompletesWithProgressingTrueThenFalse() {
        RolloutSpec spec = new RolloutSpec();
        spec.bakeTime = "2m";
        HealingCluster hc = settled(spec);
        newVersion(hc);
        run(hc, 12); // 2 minutes: the first new machine serves and bakes; no old machine has left yet
        assertThat(fewestOld).isEqualTo(3);
        run(hc, 120);
        assertThat(hc.getStatus().rollout.phase).isEqualTo(RolloutPhase.Complete);
        String group = asg(hc);
        assertThat(op.fleet.serving(group)).hasSize(3).allSatisfy(id -> assertThat(op.fleet.templateVersionOf(group, id)).isEqualTo("2"));
        assertThat(progressing).contains("True:RollingOut");
        assertThat(progressing.get(progressing.size() - 1)).isEqualTo("False:NewVersionAvailable");
        assertThat(progressing.indexOf("True:RollingOut")).isLessThan(progressing.lastIndexOf("False:NewVersionAvailable"));
        assertThat(op.events.count(Reason.NewVersionAvailable)).isEqualTo(1);
    }

    private static String asg(HealingCluster hc) {
        return ClusterNames.asgName(hc, io.autoheal.fleet.Installations.LEGACY, List.of());
    }
}
