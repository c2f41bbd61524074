package io.autoheal.cluster.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.RemediationRecord;
import io.autoheal.cluster.healing.HealthPolicy;
import io.autoheal.cluster.healing.Machine;
import io.autoheal.cluster.healing.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cluster planner's precedence, one row per rule (docs/behaviour.md "Precedence"): each row is a pass and the
 * commands it must produce, written as "Journal[id:Reason@version,…]", "Replace id Reason", "SetCapacity n",
 * "Remove id KIND", "Announce id".
 */
class ClusterPlannerTest {
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    static final Instant OLD = NOW.minus(Duration.ofHours(2));
    static final HealthPolicy POLICY = new HealthPolicy(Duration.ofMinutes(10), Duration.ofMinutes(5),
            new HealthPolicy.MaxUnhealthy(40, true), 10, Duration.ofSeconds(30), Duration.ZERO, false);

    static Machine.Builder healthy(String id, String version) {
        return Machine.builder(id).launchTime(OLD).ec2State("running").lifecycle("InService").statusCheck("ok").version(version).zone("a");
    }

    static Machine.Builder stopped(String id, String version) {
        return healthy(id, version).ec2State("stopped").statusCheck(null);
    }

    /** Launched long ago and never in service: StartupTimeout. */
    static Machine.Builder neverStarted(String id, String version) {
        return healthy(id, version).lifecycle("Pending").launchTime(NOW.minus(Duration.ofMinutes(11)));
    }

    static Machine.Builder starting(String id, String version) {
        return healthy(id, version).lifecycle("Pending").launchTime(NOW.minusSeconds(30));
    }

    static ClusterPass.Builder pass(int min, int desired, int max, Integer group, Machine.Builder... machines) {
        List<Machine> list = Stream.of(machines).map(Machine.Builder::build).toList();
        return ClusterPass.builder(POLICY, NOW).capacity(min, desired, max).groupDesired(group).wantedVersion("2").machines(list);
    }

    static RemediationRecord record(String id, Verdict.Reason reason, Duration ago, String version) {
        RemediationRecord r = new RemediationRecord(id, reason.name(), NOW.minus(ago).toString());
        r.version = version;
        return r;
    }

    static List<RemediationRecord> records(int n, Duration ago) {
        List<RemediationRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(record("i-gone" + i, Verdict.Reason.Stopped, ago, "2"));
        }
        return out;
    }

    static Arguments row(String rule, ClusterPass.Builder pass, String... commands) {
        return Arguments.of(rule, pass.build(), List.of(commands));
    }

    static Stream<Arguments> precedence() {
        Duration min10 = Duration.ofMinutes(10);
        return Stream.of(
                row("health: a dead machine is replaced, its record written first",
                        pass(1, 3, 4, 3, healthy("i-a", "2"), healthy("i-b", "2"), stopped("i-c", "2")),
                        "Journal[i-c:Stopped@2]", "Replace i-c Stopped"),
                row("paused: classify only, no command",
                        pass(1, 3, 4, 3, healthy("i-a", "2"), healthy("i-b", "2"), stopped("i-c", "2")).paused(true)),
                row("budget: more unhealthy than maxUnhealthy replaces nothing",
                        pass(1, 3, 4, 3, healthy("i-a", "2"), stopped("i-b", "2"), stopped("i-c", "2"))),
                row("hourly quota: a full hour replaces nothing",
                        pass(1, 3, 4, 3, healthy("i-a", "2"), healthy("i-b", "2"), stopped("i-c", "2")).remediations(records(10, min10))),
                row("one machine, one replacement: a recorded machine is replaced again without a second record",
                        pass(1, 3, 4, 3, healthy("i-a", "2"), healthy("i-b", "2"), stopped("i-c", "2"))
                                .remediations(List.of(record("i-c", Verdict.Reason.Stopped, min10, "2"))),
                        "Replace i-c Stopped"),
                row("already gone: a machine terminated behind the group's back is replaced outside the quota, unrecorded",
                        pass(1, 3, 4, 3, healthy("i-a", "2"), healthy("i-b", "2"), healthy("i-c", "2").ec2State("terminated"))
                                .remediations(records(10, min10)),
                        "Replace i-c TerminatedExternally"),
                row("launch gate: a gated machine past its startup timeout is left to the gate's ABANDON",
                        pass(1, 3, 4, 3, healthy("i-a", "2"), healthy("i-b", "2"), neverStarted("i-c", "2").lifecycle("Pending:Wait"))
                                .gateLaunch(true)),
                row("drain: a machine in Terminating:Wait is leaving, neither replaced nor counted",
                        pass(1, 2, 4, 3, healthy("i-a", "2"), healthy("i-b", "2"), stopped("i-c", "2").lifecycle("Terminating:Wait"))),
                row("scale-in beats replacement: an unhealthy excess machine leaves with desired lowered, counted as a replacement",
                        pass(1, 2, 4, 3, healthy("i-a", "2"), healthy("i-b", "2"), stopped("i-c", "2")),
                        "Journal[i-c:Stopped@2]", "Remove i-c FAILED"),
                row("scale-in: a healthy excess machine leaves uncounted, older version first",
                        pass(1, 2, 4, 3, healthy("i-a", "2"), healthy("i-b", "1"), healthy("i-c", "2")).wantedVersion("$Latest"),
                        "Remove i-a SCALED_IN"),
                row("scale-in waits while a machine is on its way in",
                        pass(1, 2, 4, 3, healthy("i-a", "2"), healthy("i-b", "2"), starting("i-c", "2"))),
                row("advice at min: surge first, no direct replacement",
                        pass(2, 2, 3, 2, healthy("i-a", "2"), healthy("i-b", "2").advice(Verdict.Reason.RebalanceRecommended)),
                        "SetCapacity 3"),
                row("advice at min, successor in service: the advised machine leaves, counted under its advice",
                        pass(2, 2, 3, 3, healthy("i-a", "2"), healthy("i-b", "2").advice(Verdict.Reason.RebalanceRecommended),
                                healthy("i-c", "2")),
                        "Journal[i-b:RebalanceRecommended@2]", "Remove i-b SURGE_REPLACED"),
                row("advice above min: replaced directly once the cluster is settled",
                        pass(1, 3, 4, 3, healthy("i-a", "2"), healthy("i-b", "2"), healthy("i-c", "2").advice(Verdict.Reason.ScheduledChange)),
                        "Journal[i-c:ScheduledChange@2]", "Replace i-c ScheduledChange"),
                row("rollout with room: surge one machine of the new version",
                        pass(1, 3, 4, 3, healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "1")),
                        "SetCapacity 4"),
                row("rollout surge waits for the quota",
                        pass(1, 3, 4, 3, healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "1")).remediations(records(10, min10))),
                row("rollout: the old machine leaves once its successor serves, recorded Outdated",
                        pass(1, 3, 4, 4, healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "1"), healthy("i-d", "2")),
                        "Journal[i-a:Outdated@1]", "Remove i-a ROLLED"),
                row("rollout without room: in place, one machine at a time",
                        pass(1, 3, 3, 3, healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "2")),
                        "Journal[i-a:Outdated@1]", "Replace i-a Outdated"),
                row("healing before rollout: the dead machine takes the pass, no old machine rolls",
                        pass(1, 3, 3, 3, healthy("i-a", "1"), healthy("i-b", "1"), stopped("i-c", "2")),
                        "Journal[i-c:Stopped@2]", "Replace i-c Stopped"),
                row("no endless surge: a surged machine of the new version that never starts leaves, counted as a replacement",
                        pass(1, 3, 4, 4, healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "1"), neverStarted("i-d", "2")),
                        "Journal[i-d:StartupTimeout@2]", "Remove i-d FAILED"),
                row("rollout stop: a new-version failure within the hour stops the surge",
                        pass(1, 3, 4, 3, healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "1"))
                                .remediations(List.of(record("i-d", Verdict.Reason.StartupTimeout, min10, "2")))),
                row("rollout stop: and the in-place roll",
                        pass(1, 3, 3, 3, healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "1"))
                                .remediations(List.of(record("i-d", Verdict.Reason.StartupTimeout, min10, "2")))),
                row("rollout stop ends an hour after the failure: one more try",
                        pass(1, 3, 4, 3, healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "1"))
                                .remediations(List.of(record("i-d", Verdict.Reason.StartupTimeout, Duration.ofMinutes(61), "2"))),
                        "SetCapacity 4"),
                row("rollout stop: an old version's failure does not stop the rollout",
                        pass(1, 3, 4, 3, healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "1"))
                                .remediations(List.of(record("i-d", Verdict.Reason.Stopped, min10, "1"))),
                        "SetCapacity 4"),
                row("notices: a machine gone without the operator is announced, one it replaced is not",
                        pass(1, 2, 4, 2, healthy("i-a", "2"), healthy("i-b", "2")).vanished(Set.of("i-x", "i-y"))
                                .remediations(List.of(record("i-y", Verdict.Reason.Stopped, min10, "2"))),
                        "Announce i-x"),
                row("no group yet: healing decides, nothing resizes",
                        pass(1, 2, 4, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("precedence")
    void precedence(String rule, ClusterPass pass, List<String> expected) {
        assertThat(ClusterPlanner.plan(pass).commands().stream().map(ClusterPlannerTest::summary).toList()).as(rule)
                .containsExactlyElementsOf(expected);
    }

    static final RolloutPolicy ROLLOUT = new RolloutPolicy(1, Duration.ofMinutes(2), List.of(),
            io.autoheal.api.v1alpha1.RolloutFailureAction.Rollback, Set.of(), null, 1);

    static io.autoheal.api.v1alpha1.RolloutStatus rollout(String stable, String target, io.autoheal.api.v1alpha1.RolloutPhase phase,
                                                          int updated, Duration bakeStartedAgo) {
        io.autoheal.api.v1alpha1.RolloutStatus s = RolloutTrackerTest.status(stable, target, phase, updated,
                bakeStartedAgo == null ? null : NOW.minus(bakeStartedAgo));
        return s;
    }

    /** spec.rollout set: the tracker's decision drives surge, scale-in and the in-place roll. */
    static Stream<Arguments> trusted() {
        var rolling = io.autoheal.api.v1alpha1.RolloutPhase.Rolling;
        var baking = io.autoheal.api.v1alpha1.RolloutPhase.Baking;
        var back = io.autoheal.api.v1alpha1.RolloutPhase.RollingBack;
        Duration min5 = Duration.ofMinutes(5);
        return Stream.of(
                row("rolling: surge one machine of the new version",
                        pass(1, 3, 4, 3, healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "1")).rollout(ROLLOUT)
                                .lastRollout(rollout("1", "2", rolling, 0, null)),
                        "SetCapacity 4"),
                row("bake: the surged machine just became healthy — the old machine stays",
                        pass(1, 3, 4, 4, healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "1"), healthy("i-d", "2")).rollout(ROLLOUT)
                                .lastRollout(rollout("1", "2", rolling, 0, null))),
                row("bake over: the old machine leaves, recorded Outdated",
                        pass(1, 3, 4, 4, healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "1"), healthy("i-d", "2")).rollout(ROLLOUT)
                                .lastRollout(rollout("1", "2", baking, 1, min5)),
                        "Journal[i-a:Outdated@1]", "Remove i-a ROLLED"),
                row("bake: no in-place roll while baking (maxSurge 0)",
                        pass(1, 3, 4, 3, healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "2"))
                                .rollout(new RolloutPolicy(0, Duration.ofMinutes(2), List.of(), ROLLOUT.onFailure(), Set.of(), null, 1))
                                .lastRollout(rollout("1", "2", baking, 1, Duration.ofSeconds(30)))),
                row("maxSurge 0: in place even with room below max, once the bake is over",
                        pass(1, 3, 4, 3, healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "2"))
                                .rollout(new RolloutPolicy(0, Duration.ofMinutes(2), List.of(), ROLLOUT.onFailure(), Set.of(), null, 1))
                                .lastRollout(rollout("1", "2", baking, 1, min5)),
                        "Journal[i-a:Outdated@1]", "Replace i-a Outdated"),
                // journaled and reported under its failure (what the rollout failed on), counted in the quota
                row("rollback: the failed surged machine leaves first for its failure, nothing new surges onto the failed version",
                        pass(1, 3, 4, 4, healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "1"), stopped("i-d", "2")).rollout(ROLLOUT)
                                .lastRollout(rollout("1", "2", baking, 1, Duration.ofSeconds(30))),
                        "Journal[i-d:Stopped@2]", "Remove i-d FAILED"),
                row("rollback: a healthy new-version machine is rolled back surge first",
                        pass(1, 3, 4, 3, healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "2")).rollout(ROLLOUT)
                                .lastRollout(failedRollout("1", "2", back)),
                        "SetCapacity 4"),
                row("rollback: once the stable machine serves, the new-version machine leaves",
                        pass(1, 3, 4, 4, healthy("i-a", "1"), healthy("i-b", "1"), healthy("i-c", "2"), healthy("i-d", "1")).rollout(ROLLOUT)
                                .lastRollout(failedRollout("1", "2", back)),
                        "Journal[i-c:Outdated@2]", "Remove i-c ROLLED"));
    }

    static io.autoheal.api.v1alpha1.RolloutStatus failedRollout(String stable, String failed, io.autoheal.api.v1alpha1.RolloutPhase phase) {
        return RolloutTrackerTest.failed(stable, failed, phase, 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trusted")
    void trustedRollout(String rule, ClusterPass pass, List<String> expected) {
        assertThat(ClusterPlanner.plan(pass).commands().stream().map(ClusterPlannerTest::summary).toList()).as(rule)
                .containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stops")
    void theRolloutStopIsReported(String rule, ClusterPass pass, boolean stopped) {
        assertThat(ClusterPlanner.plan(pass).rolloutStopped().isPresent()).as(rule).isEqualTo(stopped);
    }

    static Stream<Arguments> stops() {
        Duration min10 = Duration.ofMinutes(10);
        UnaryOperator<ClusterPass.Builder> failed = p -> p.remediations(List.of(record("i-d", Verdict.Reason.StartupTimeout, min10, "2")));
        return Stream.of(
                Arguments.of("a failure of the wanted version this hour", failed.apply(pass(1, 3, 4, 3, healthy("i-a", "1"))).build(), true),
                Arguments.of("a new machine unhealthy now", pass(1, 3, 4, 4, healthy("i-a", "1"), neverStarted("i-d", "2")).build(), true),
                Arguments.of("nothing left to roll", failed.apply(pass(1, 1, 4, 1, healthy("i-a", "2"))).build(), false),
                Arguments.of("an alias version never rolls", failed.apply(pass(1, 3, 4, 3, healthy("i-a", "1"))).wantedVersion("$Latest").build(),
                        false),
                Arguments.of("a Spot interruption is no fault of the version",
                        pass(1, 3, 4, 3, healthy("i-a", "1")).remediations(List.of(record("i-d", Verdict.Reason.SpotInterruption, min10, "2")))
                                .build(), false));
    }

    static String summary(ClusterCommand c) {
        if (c instanceof ClusterCommand.Journal j) {
            // only this pass's new records (the rest is the carried hour)
            return "Journal[" + j.added().stream().filter(r -> NOW.toString().equals(r.time))
                    .map(r -> r.instanceId + ":" + r.reason + "@" + r.version).collect(Collectors.joining(",")) + "]";
        }
        if (c instanceof ClusterCommand.Replace r) {
            return "Replace " + r.instanceId() + " " + r.reason();
        }
        if (c instanceof ClusterCommand.SetCapacity s) {
            return "SetCapacity " + s.desired();
        }
        if (c instanceof ClusterCommand.Remove r) {
            return "Remove " + r.instanceId() + " " + r.removal();
        }
        return "Announce " + ((ClusterCommand.Announce) c).instanceId();
    }
}
