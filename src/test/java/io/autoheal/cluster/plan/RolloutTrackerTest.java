package io.autoheal.cluster.plan;

import static io.autoheal.cluster.plan.ClusterPlannerTest.NOW;
import static io.autoheal.cluster.plan.ClusterPlannerTest.healthy;
import static io.autoheal.cluster.plan.ClusterPlannerTest.neverStarted;
import static io.autoheal.cluster.plan.ClusterPlannerTest.starting;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.RolloutFailureAction;
import io.autoheal.api.v1alpha1.RolloutPhase;
import io.autoheal.api.v1alpha1.RolloutStatus;
import io.autoheal.cluster.healing.HealthDecider;
import io.autoheal.cluster.healing.Machine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rollout's phases, one row per rule (docs/behaviour.md "Rollouts you can trust"). */
class RolloutTrackerTest {
    static final Duration BAKE = Duration.ofMinutes(2);

    static RolloutPolicy policy(RolloutFailureAction onFailure, String resume, long generation, Integer... checkpoints) {
        return new RolloutPolicy(1, BAKE, List.of(checkpoints), onFailure, Set.of("HighErrorRate"), resume, generation);
    }

    static RolloutPolicy rollback() {
        return policy(RolloutFailureAction.Rollback, null, 1);
    }

    static RolloutStatus status(String stable, String target, RolloutPhase phase, int updated, Instant bakeStarted) {
        RolloutStatus s = new RolloutStatus();
        s.stableVersion = stable;
        s.targetVersion = target;
        s.phase = phase;
        s.updated = updated;
        s.total = 3;
        s.startedAt = NOW.minus(Duration.ofMinutes(30)).toString();
        s.bakeStartedAt = bakeStarted == null ? null : bakeStarted.toString();
        return s;
    }

    static RolloutStatus failed(String stable, String failedVersion, RolloutPhase phase, long generation) {
        RolloutStatus s = status(stable, failedVersion, phase, 0, null);
        s.failedVersion = failedVersion;
        s.failedGeneration = generation;
        return s;
    }

    static RolloutTracker.Progress track(RolloutPolicy policy, RolloutStatus last, Set<String> alerts, Machine.Builder... machines) {
        List<Machine> list = Stream.of(machines).map(Machine.Builder::build).toList();
        return RolloutTracker.track(policy, last, "2", list,
                HealthDecider.decide(list, ClusterPlannerTest.POLICY, list.size(), List.of(), Set.of(), NOW), alerts, NOW);
    }

    static Arguments row(String rule, RolloutTracker.Progress p, RolloutPhase phase, boolean advance, String rollTo) {
        return Arguments.of(rule, p, phase, advance, rollTo);
    }

    static Stream<Arguments> phases() {
        Instant justNow = NOW.minusSeconds(30);
        Instant longAgo = NOW.minus(Duration.ofMinutes(5));
        return Stream.of(
                row("first sight, all on the wanted version: complete, nothing to do",
                        track(rollback(), null, Set.of(), healthy("i-a", "2"), healthy("i-b", "2")), RolloutPhase.Complete, true, "2"),
                row("a new version after a completed rollout: rolling from the old target",
                        track(rollback(), status("1", "1", RolloutPhase.Complete, 3, null), Set.of(),
                                healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "1")), RolloutPhase.Rolling, true, "2"),
                row("bake: a new machine just became healthy — no old machine leaves",
                        track(rollback(), status("1", "2", RolloutPhase.Rolling, 0, null), Set.of(),
                                healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "2")), RolloutPhase.Baking, false, "2"),
                row("bake: still within bakeTime",
                        track(rollback(), status("1", "2", RolloutPhase.Baking, 1, justNow), Set.of(),
                                healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "2")), RolloutPhase.Baking, false, "2"),
                row("bake over: the next old machine may leave",
                        track(rollback(), status("1", "2", RolloutPhase.Baking, 1, longAgo), Set.of(),
                                healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "2")), RolloutPhase.Rolling, true, "2"),
                row("failure during bake: the new machine fails → rolling back to the stable version",
                        track(rollback(), status("1", "2", RolloutPhase.Baking, 1, justNow), Set.of(),
                                healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "2").ec2State("stopped")),
                        RolloutPhase.RollingBack, true, "1"),
                row("failure: a new machine that never starts fails the rollout",
                        track(rollback(), status("1", "2", RolloutPhase.Rolling, 0, null), Set.of(),
                                healthy("i-a", "1"), healthy("i-b", "1"), neverStarted("i-c", "2")), RolloutPhase.RollingBack, true, "1"),
                row("a new machine still starting is no failure: wait",
                        track(rollback(), status("1", "2", RolloutPhase.Rolling, 0, null), Set.of(),
                                healthy("i-a", "1"), healthy("i-b", "1"), starting("i-c", "2")), RolloutPhase.Rolling, true, "2"),
                row("alert abort: an abortOnAlerts alert fires while rolling",
                        track(rollback(), status("1", "2", RolloutPhase.Rolling, 1, longAgo), Set.of("HighErrorRate"),
                                healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "2")), RolloutPhase.RollingBack, true, "1"),
                row("an alert not in abortOnAlerts does not abort",
                        track(rollback(), status("1", "2", RolloutPhase.Rolling, 1, longAgo), Set.of("DiskFull"),
                                healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "2")), RolloutPhase.Rolling, true, "2"),
                row("an alert after completion is healing's business, not the rollout's",
                        track(rollback(), status("1", "2", RolloutPhase.Complete, 3, longAgo), Set.of("HighErrorRate"),
                                healthy("i-a", "2"), healthy("i-b", "2"), healthy("i-c", "2")), RolloutPhase.Complete, true, "2"),
                row("onFailure Pause: stops where it is",
                        track(policy(RolloutFailureAction.Pause, null, 1), status("1", "2", RolloutPhase.Rolling, 1, longAgo), Set.of(),
                                healthy("i-a", "1"), healthy("i-b", "2"), healthy("i-c", "2").ec2State("stopped")),
                        RolloutPhase.Paused, false, "2"),
                row("rollback done: every machine on the stable version → Failed, the failed version not retried",
                        track(rollback(), failed("1", "2", RolloutPhase.RollingBack, 1), Set.of(),
                                healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "1")), RolloutPhase.Failed, true, "1"),
                row("failed version not retried in the same generation",
                        track(rollback(), failed("1", "2", RolloutPhase.Failed, 1), Set.of(),
                                healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "1")), RolloutPhase.Failed, true, "1"),
                row("a spec change after a failure starts a new rollout",
                        track(policy(RolloutFailureAction.Rollback, null, 2), failed("1", "2", RolloutPhase.Failed, 1), Set.of(),
                                healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "1")), RolloutPhase.Rolling, true, "2"),
                row("checkpoint: 1/3 ≥ 33% waits",
                        track(policy(RolloutFailureAction.Rollback, null, 1, 33), status("1", "2", RolloutPhase.Baking, 1, longAgo), Set.of(),
                                healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "2")), RolloutPhase.Paused, false, "2"),
                row("checkpoint: resumed for this version and percent → rolls on",
                        track(policy(RolloutFailureAction.Rollback, "2/33", 1, 33), status("1", "2", RolloutPhase.Paused, 1, longAgo),
                                Set.of(), healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "2")), RolloutPhase.Rolling, true, "2"),
                row("checkpoint: a resume naming another version does not pass it",
                        track(policy(RolloutFailureAction.Rollback, "1/33", 1, 33), status("1", "2", RolloutPhase.Paused, 1, longAgo),
                                Set.of(), healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "2")), RolloutPhase.Paused, false, "2"),
                row("checkpoint not reached yet: rolls",
                        track(policy(RolloutFailureAction.Rollback, null, 1, 50), status("1", "2", RolloutPhase.Baking, 1, longAgo), Set.of(),
                                healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "2")), RolloutPhase.Rolling, true, "2"),
                row("the last machine bakes too before Complete",
                        track(rollback(), status("1", "2", RolloutPhase.Rolling, 2, longAgo), Set.of(),
                                healthy("i-a", "2"), healthy("i-b", "2"), healthy("i-c", "2")), RolloutPhase.Baking, false, "2"),
                row("complete: all new, bake over → the target is stable",
                        track(rollback(), status("1", "2", RolloutPhase.Baking, 3, longAgo), Set.of(),
                                healthy("i-a", "2"), healthy("i-b", "2"), healthy("i-c", "2")), RolloutPhase.Complete, true, "2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("phases")
    void phase(String rule, RolloutTracker.Progress p, RolloutPhase phase, boolean advance, String rollTo) {
        assertThat(p.phase()).as(rule).isEqualTo(phase);
        assertThat(p.advance()).as(rule + ": advance").isEqualTo(advance);
        assertThat(p.rollTo()).as(rule + ": rollTo").isEqualTo(rollTo);
    }

    @Test
    void aFailureIsRememberedNamingTheVersionMachineAndReason() {
        RolloutTracker.Progress p = track(rollback(), status("1", "2", RolloutPhase.Baking, 1, NOW.minusSeconds(30)), Set.of(),
                healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "2").ec2State("stopped"));
        assertThat(p.status().failedVersion).isEqualTo("2");
        assertThat(p.status().failedGeneration).isEqualTo(1L);
        assertThat(p.status().message).contains("2", "i-c", "Stopped");
        assertThat(p.status().lastTransitionTime).isEqualTo(NOW.toString());
        assertThat(p.status().stableVersion).isEqualTo("1");
    }

    @Test
    void completionMakesTheTargetStableAndTheNextRolloutStartsFromIt() {
        RolloutTracker.Progress done = track(rollback(), status("1", "2", RolloutPhase.Baking, 3, NOW.minus(Duration.ofMinutes(5))), Set.of(),
                healthy("i-a", "2"), healthy("i-b", "2"), healthy("i-c", "2"));
        assertThat(done.status().stableVersion).isEqualTo("2");
        List<Machine> list = Stream.of(healthy("i-a", "2"), healthy("i-b", "2")).map(Machine.Builder::build).toList();
        RolloutTracker.Progress next = RolloutTracker.track(rollback(), done.status(), "3", list,
                HealthDecider.decide(list, ClusterPlannerTest.POLICY, 2, List.of(), Set.of(), NOW), Set.of(), NOW);
        assertThat(next.status().stableVersion).isEqualTo("2");
        assertThat(next.status().targetVersion).isEqualTo("3");
        assertThat(next.phase()).isEqualTo(RolloutPhase.Rolling);
    }

    @Test
    void anAliasVersionJudgesNothing() {
        List<Machine> list = Stream.of(healthy("i-a", "1"), healthy("i-b", "1").ec2State("stopped")).map(Machine.Builder::build).toList();
        RolloutTracker.Progress p = RolloutTracker.track(rollback(), null, "$Latest", list,
                HealthDecider.decide(list, ClusterPlannerTest.POLICY, 2, List.of(), Set.of(), NOW), Set.of("HighErrorRate"), NOW);
        assertThat(p.advance()).isTrue();
        assertThat(p.rollTo()).isEqualTo("$Latest");
        assertThat(p.phase()).isNull();
        assertThat(p.status().failedVersion).isNull();
    }
}
