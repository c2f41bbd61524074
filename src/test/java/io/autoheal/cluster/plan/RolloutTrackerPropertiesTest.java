package io.autoheal.cluster.plan;

import static io.autoheal.cluster.plan.ClusterPlannerTest.NOW;
import static io.autoheal.cluster.plan.ClusterPlannerTest.healthy;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.RolloutFailureAction;
import io.autoheal.api.v1alpha1.RolloutPhase;
import io.autoheal.api.v1alpha1.RolloutStatus;
import io.autoheal.cluster.healing.HealthDecider;
import io.autoheal.cluster.healing.Machine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Invariants of the rollout tracker over any machines and any last status. */
class RolloutTrackerPropertiesTest {

    @Property(tries = 500)
    void invariants(@ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 5) Integer> kinds,
                    @ForAll RolloutPhase lastPhase, @ForAll boolean lastFailed, @ForAll boolean pause,
                    @ForAll @IntRange(min = 0, max = 3) int lastUpdated, @ForAll @IntRange(min = 0, max = 10) int bakeAgoMinutes,
                    @ForAll boolean alert, @ForAll @IntRange(min = 1, max = 2) int generation) {
        List<Machine> machines = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            int k = kinds.get(i);
            String version = k % 2 == 0 ? "1" : "2";
            Machine.Builder b = healthy("i-" + i, version);
            if (k >= 4) {
                b.ec2State("stopped");
            } else if (k >= 2) {
                b.lifecycle("Pending").launchTime(NOW.minusSeconds(30));
            }
            machines.add(b.build());
        }
        RolloutStatus last = new RolloutStatus();
        last.stableVersion = lastPhase == RolloutPhase.Complete ? "2" : "1"; // a completed rollout made its target stable
        last.targetVersion = "2";
        last.phase = lastPhase;
        last.updated = lastUpdated;
        last.bakeStartedAt = NOW.minus(Duration.ofMinutes(bakeAgoMinutes)).toString();
        if (lastFailed) {
            last.failedVersion = "2";
            last.failedGeneration = 1L;
        }
        RolloutPolicy policy = new RolloutPolicy(1, Duration.ofMinutes(2), List.of(50),
                pause ? RolloutFailureAction.Pause : RolloutFailureAction.Rollback, Set.of("HighErrorRate"), null, generation);
        RolloutTracker.Progress p = RolloutTracker.track(policy, last, "2", machines,
                HealthDecider.decide(machines, ClusterPlannerTest.POLICY, machines.size(), List.of(), Set.of(), NOW),
                alert ? Set.of("HighErrorRate") : Set.of(), NOW);

        if (!p.advance()) {
            assertThat(p.phase()).isIn(RolloutPhase.Baking, RolloutPhase.Paused);
        }
        if (p.phase() == RolloutPhase.RollingBack || p.phase() == RolloutPhase.Failed) {
            assertThat(p.rollTo()).isEqualTo(p.status().stableVersion).isNotEqualTo("2");
            assertThat(p.status().failedVersion).isEqualTo("2");
            assertThat(pause).as("only onFailure Rollback rolls back").isFalse();
        }
        if (lastFailed && generation == 1) {
            assertThat(p.phase()).as("a failed version is not retried in its generation")
                    .isIn(RolloutPhase.RollingBack, RolloutPhase.Failed, RolloutPhase.Paused);
            assertThat(p.rollTo()).isIn(p.status().stableVersion, "2");
            if (p.phase() == RolloutPhase.Paused) {
                assertThat(p.advance()).isFalse();
            }
        }
        if (p.phase() == RolloutPhase.Complete) {
            assertThat(machines).allMatch(m -> "2".equals(m.version()));
            assertThat(p.status().stableVersion).isEqualTo("2");
        }
        assertThat(p.status().updated).isLessThanOrEqualTo(p.status().total);
    }
}
