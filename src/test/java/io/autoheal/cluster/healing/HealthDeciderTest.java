package io.autoheal.cluster.healing;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.cluster.healing.Machine.Bootstrap;
import io.autoheal.cluster.healing.Verdict.Reason;
import io.autoheal.cluster.healing.Verdict.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HealthDeciderTest {
    static final Instant NOW = Instant.parse("2026-11-25T03:00:00Z");
    /** Bootstrap bound of the defaults: 3 attempts x (30m timeout + 5m back-off cap). */
    static final Duration BOOTSTRAP_BOUND = Duration.ofMinutes(105);
    static final HealthPolicy POLICY = policy("40%", 10);

    static HealthPolicy policy(String maxUnhealthy, int perHour) {
        return new HealthPolicy(Duration.ofMinutes(10), Duration.ofMinutes(5), HealthPolicy.MaxUnhealthy.parse(maxUnhealthy).orElseThrow(),
                perHour, Duration.ofSeconds(30), BOOTSTRAP_BOUND, false);
    }

    static HealthPolicy asgAlsoHeals(HealthPolicy p) {
        return new HealthPolicy(p.startupTimeout(), p.unhealthyAfter(), p.maxUnhealthy(), p.maxRemediationsPerHour(), p.maxCheckInterval(),
                p.bootstrapBound(), true);
    }

    /** A machine launched 30 minutes ago, running, in service, healthy, bootstrapped. */
    static Machine healthy(String id) {
        return Machine.builder(id).launchTime(NOW.minus(Duration.ofMinutes(30))).ec2State("running").lifecycle("InService").asgHealthy(true).statusCheck("ok").unhealthySince(null).bootstrap(Bootstrap.SUCCEEDED).skipRemediation(false).build();
    }

    static Machine with(Machine m, String ec2, String lifecycle, boolean asgHealthy, String check, Instant since, Bootstrap b,
                             Instant launch) {
        return Machine.builder(m.instanceId()).launchTime(launch).ec2State(ec2).lifecycle(lifecycle).asgHealthy(asgHealthy).statusCheck(check).unhealthySince(since).bootstrap(b).skipRemediation(m.skipRemediation()).build();
    }

    static Stream<Arguments> classification() {
        Machine h = healthy("i-1");
        Instant old = h.launchTime();
        Instant young = NOW.minus(Duration.ofMinutes(2));
        return Stream.of(
                Arguments.of("healthy", h, State.HEALTHY, null),
                Arguments.of("terminated outside the operator", with(h, "terminated", "Terminating", true, null, null, Bootstrap.SUCCEEDED, old),
                        State.LEAVING, Reason.TerminatedExternally),
                Arguments.of("ASG is terminating it", with(h, "running", "Terminating:Wait", true, "ok", null, Bootstrap.SUCCEEDED, old),
                        State.LEAVING, null),
                Arguments.of("detaching", with(h, "running", "Detaching", true, "ok", null, Bootstrap.SUCCEEDED, old), State.LEAVING, null),
                Arguments.of("stopped", with(h, "stopped", "InService", true, null, null, Bootstrap.SUCCEEDED, old), State.UNHEALTHY, Reason.Stopped),
                Arguments.of("stopping", with(h, "stopping", "InService", true, null, null, Bootstrap.SUCCEEDED, old), State.UNHEALTHY, Reason.Stopped),
                Arguments.of("ASG health unhealthy", with(h, "running", "InService", false, "ok", null, Bootstrap.SUCCEEDED, old),
                        State.UNHEALTHY, Reason.AsgUnhealthy),
                Arguments.of("bootstrap failed for good", with(h, "running", "InService", true, "ok", null, Bootstrap.FAILED_FINAL, old),
                        State.UNHEALTHY, Reason.BootstrapFailed),
                Arguments.of("impaired 5m (= unhealthyAfter)", with(h, "running", "InService", true, "impaired", NOW.minus(Duration.ofMinutes(5)),
                        Bootstrap.SUCCEEDED, old), State.UNHEALTHY, Reason.StatusCheckImpaired),
                Arguments.of("impaired 4m", with(h, "running", "InService", true, "impaired", NOW.minus(Duration.ofMinutes(4)),
                        Bootstrap.SUCCEEDED, old), State.HEALTHY, null),
                Arguments.of("impaired first seen now", with(h, "running", "InService", true, "impaired", null, Bootstrap.SUCCEEDED, old),
                        State.HEALTHY, null),
                Arguments.of("young, pending", with(h, "pending", "Pending", true, null, null, Bootstrap.PENDING, young), State.STARTING, null),
                Arguments.of("young, Pending:Wait", with(h, "running", "Pending:Wait", true, "initializing", null, Bootstrap.PENDING, young),
                        State.STARTING, null),
                Arguments.of("young, bootstrap running", with(h, "running", "InService", true, "ok", null, Bootstrap.PENDING, young),
                        State.STARTING, null),
                Arguments.of("10m and still pending", with(h, "pending", "Pending", true, null, null, Bootstrap.PENDING,
                        NOW.minus(Duration.ofMinutes(10))), State.UNHEALTHY, Reason.StartupTimeout),
                Arguments.of("30m and bootstrap still pending", with(h, "running", "InService", true, "ok", null, Bootstrap.PENDING, old),
                        State.UNHEALTHY, Reason.StartupTimeout),
                Arguments.of("stopped beats ASG unhealthy", with(h, "stopped", "InService", false, "impaired", NOW.minus(Duration.ofHours(1)),
                        Bootstrap.FAILED_FINAL, old), State.UNHEALTHY, Reason.Stopped),
                Arguments.of("bootstrap failure beats impaired", with(h, "running", "InService", true, "impaired", NOW.minus(Duration.ofHours(1)),
                        Bootstrap.FAILED_FINAL, old), State.UNHEALTHY, Reason.BootstrapFailed),
                Arguments.of("member EC2 does not show yet (no launch time)", with(h, "pending", "Pending", true, null, null,
                        Bootstrap.PENDING, null), State.STARTING, null),
                Arguments.of("parked in Standby by a person", with(h, "running", "Standby", true, "ok", null, Bootstrap.SUCCEEDED, old),
                        State.LEAVING, null),
                Arguments.of("entering Standby", with(h, "running", "EnteringStandby", true, "ok", null, Bootstrap.SUCCEEDED, old),
                        State.LEAVING, null),
                Arguments.of("terminated by EC2, still listed InService (ReplaceUnhealthy suspended)", with(h, "terminated", "InService",
                        false, null, null, Bootstrap.SUCCEEDED, old), State.UNHEALTHY, Reason.TerminatedExternally),
                Arguments.of("shutting down, still listed InService", with(h, "shutting-down", "InService", true, null, null,
                        Bootstrap.SUCCEEDED, old), State.UNHEALTHY, Reason.TerminatedExternally),
                Arguments.of("job queued 2m after launch", with(h, "running", "InService", true, "ok", null, Bootstrap.IN_PROGRESS, young),
                        State.BOOTSTRAPPING, null),
                Arguments.of("job still running 40m after launch (past startupTimeout, within the bootstrap bound)", with(h, "running",
                        "InService", true, "ok", null, Bootstrap.IN_PROGRESS, NOW.minus(Duration.ofMinutes(40))), State.BOOTSTRAPPING, null),
                Arguments.of("gated machine whose job runs 40m after launch", with(h, "running", "Pending:Wait", true, "ok", null,
                        Bootstrap.IN_PROGRESS, NOW.minus(Duration.ofMinutes(40))), State.BOOTSTRAPPING, null),
                Arguments.of("job triggered but past startupTimeout + bootstrap bound (115m)", with(h, "running", "InService", true, "ok", null,
                        Bootstrap.IN_PROGRESS, NOW.minus(Duration.ofMinutes(115))), State.UNHEALTHY, Reason.StartupTimeout),
                Arguments.of("no job triggered 10m after launch (bootstrapper unreachable)", with(h, "running", "InService", true, "ok", null,
                        Bootstrap.PENDING, NOW.minus(Duration.ofMinutes(10))), State.UNHEALTHY, Reason.StartupTimeout),
                Arguments.of("bootstrapping but stopped", with(h, "stopped", "InService", true, null, null, Bootstrap.IN_PROGRESS, young),
                        State.UNHEALTHY, Reason.Stopped),
                Arguments.of("in service, probe failed", failing(h, Reason.ProbeFailed), State.UNHEALTHY, Reason.ProbeFailed),
                Arguments.of("in service, target unhealthy", failing(h, Reason.TargetUnhealthy), State.UNHEALTHY, Reason.TargetUnhealthy),
                Arguments.of("in service, alert firing", failing(h, Reason.AlertFiring), State.UNHEALTHY, Reason.AlertFiring),
                Arguments.of("not yet bootstrapped: a probe failure is not judged", failing(with(h, "running", "InService", true, "ok", null,
                        Bootstrap.IN_PROGRESS, young), Reason.ProbeFailed), State.BOOTSTRAPPING, null),
                Arguments.of("still pending: a probe failure is not judged", failing(with(h, "pending", "Pending", true, null, null,
                        Bootstrap.NOT_REQUIRED, young), Reason.ProbeFailed), State.STARTING, null),
                Arguments.of("stopped beats a failing probe", failing(with(h, "stopped", "InService", true, null, null, Bootstrap.SUCCEEDED, old),
                        Reason.ProbeFailed), State.UNHEALTHY, Reason.Stopped),
                Arguments.of("a failing probe beats rebalance advice (counted, not advisory)", Machine.builder("i-1").launchTime(old)
                        .ec2State("running").lifecycle("InService").statusCheck("ok").bootstrap(Bootstrap.SUCCEEDED)
                        .advice(Reason.RebalanceRecommended).appSignals(List.of(signal(Reason.ProbeFailed))).build(),
                        State.UNHEALTHY, Reason.ProbeFailed));
    }

    static AppSignal signal(Reason reason) {
        return new AppSignal(reason, "web", "HTTP 503", NOW.minus(Duration.ofSeconds(30)));
    }

    static Machine failing(Machine m, Reason reason) {
        return Machine.builder(m.instanceId()).launchTime(m.launchTime()).ec2State(m.ec2State()).lifecycle(m.lifecycle())
                .asgHealthy(m.asgHealthy()).statusCheck(m.statusCheck()).unhealthySince(m.unhealthySince()).bootstrap(m.bootstrap())
                .appSignals(List.of(signal(reason))).build();
    }

    @Test
    void machinesStillGatheringProbeFailuresCountBeforeOneIsReplacedOnApplicationEvidence() {
        // Probes spread over the period: i-1 is conclusive first while i-2 and i-3 have failed once. With maxUnhealthy 40%
        // of 3 (one allowed), replacing i-1 now would be the first of a whole-cluster outage's replacements.
        List<Machine> first = List.of(failing(healthy("i-1"), Reason.ProbeFailed), healthy("i-2").withAppSuspect(true),
                healthy("i-3").withAppSuspect(true));
        HealingPlan held = HealthDecider.decide(first, POLICY, 3, List.of(), NOW);
        assertThat(held.remediate()).as("held while the others gather evidence").isEmpty();
        assertThat(held.blocked()).hasValueSatisfying(b -> {
            assertThat(b.kind()).isEqualTo(HealingPlan.Block.Kind.MAX_UNHEALTHY);
            assertThat(b.unhealthy()).isEqualTo(3);
        });
        // One suspect that recovers: i-1 alone is within the budget again.
        HealingPlan alone = HealthDecider.decide(List.of(failing(healthy("i-1"), Reason.ProbeFailed), healthy("i-2"), healthy("i-3")),
                POLICY, 3, List.of(), NOW);
        assertThat(alone.remediate()).extracting(HealingPlan.Remediation::instanceId).containsExactly("i-1");
        // Suspects never hold what EC2 sees: a stopped machine is replaced whatever the probes of the others say.
        Machine stopped = with(healthy("i-1"), "stopped", "InService", true, null, null, Bootstrap.SUCCEEDED, healthy("i-1").launchTime());
        HealingPlan ec2 = HealthDecider.decide(List.of(stopped, healthy("i-2").withAppSuspect(true), healthy("i-3").withAppSuspect(true)),
                POLICY, 3, List.of(), NOW);
        assertThat(ec2.remediate()).extracting(HealingPlan.Remediation::instanceId).containsExactly("i-1");
        assertThat(ec2.blocked()).isEmpty();
        // Within the budget with the suspect counted (5 machines, 40% = 2 allowed): replaced.
        HealingPlan room = HealthDecider.decide(List.of(failing(healthy("i-1"), Reason.ProbeFailed), healthy("i-2").withAppSuspect(true),
                healthy("i-3"), healthy("i-4"), healthy("i-5")), POLICY, 5, List.of(), NOW);
        assertThat(room.remediate()).extracting(HealingPlan.Remediation::instanceId).containsExactly("i-1");
    }

    @Test
    void onlyApplicationReasonsMakeASignal() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AppSignal(Reason.Stopped, "web", "", NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void applicationFailuresCountTowardTheBudget() {
        List<Machine> all = List.of(failing(healthy("i-1"), Reason.ProbeFailed), failing(healthy("i-2"), Reason.ProbeFailed),
                failing(healthy("i-3"), Reason.AlertFiring));
        HealingPlan plan = HealthDecider.decide(all, POLICY, 3, List.of(), NOW);
        assertThat(plan.remediate()).as("every machine failing at once: blocked, none replaced").isEmpty();
        assertThat(plan.blocked()).hasValueSatisfying(b -> assertThat(b.kind()).isEqualTo(HealingPlan.Block.Kind.MAX_UNHEALTHY));
        HealingPlan one = HealthDecider.decide(List.of(failing(healthy("i-1"), Reason.ProbeFailed), healthy("i-2"), healthy("i-3")),
                POLICY, 3, List.of(), NOW);
        assertThat(one.remediate()).extracting(HealingPlan.Remediation::instanceId).containsExactly("i-1");
    }

    @Test
    void aBlockedBootstrapRunsNoStartupClockButAStoppedMachineIsStillUnhealthy() {
        Instant longAgo = NOW.minus(Duration.ofHours(5));
        Machine waiting = with(healthy("i-1"), "running", "InService", true, "ok", null, Bootstrap.BLOCKED, longAgo);
        assertThat(HealthDecider.classify(waiting, POLICY, NOW).state()).as("no StartupTimeout while its bootstrap cannot run")
                .isEqualTo(State.STARTING);
        assertThat(HealthDecider.decide(List.of(waiting), POLICY, 1, List.of(), NOW).nextCheck()).as("no deadline of its own")
                .isEqualTo(NOW.plus(POLICY.maxCheckInterval()));
        Machine pending = with(healthy("i-1"), "running", "InService", true, "ok", null, Bootstrap.PENDING, longAgo);
        assertThat(HealthDecider.classify(pending, POLICY, NOW).reason()).as("the same machine with a bootstrap that could run")
                .isEqualTo(Reason.StartupTimeout);
        Machine stopped = with(healthy("i-1"), "stopped", "InService", true, null, null, Bootstrap.BLOCKED, longAgo);
        assertThat(HealthDecider.classify(stopped, POLICY, NOW).reason()).isEqualTo(Reason.Stopped);
    }

    @Test
    void whatAwsAnnouncedMakesAMachineUnhealthyUnlessItIsAlreadyLeaving() {
        Machine h = healthy("i-1");
        Machine warned = Machine.builder("i-1").launchTime(h.launchTime()).ec2State("running").lifecycle("InService").asgHealthy(true).statusCheck("ok").unhealthySince(null).bootstrap(Bootstrap.SUCCEEDED).skipRemediation(false).advice(Reason.SpotInterruption).build();
        Verdict v = HealthDecider.classify(warned, POLICY, NOW);
        assertThat(v.state()).isEqualTo(State.UNHEALTHY);
        assertThat(v.reason()).isEqualTo(Reason.SpotInterruption);
        Machine leaving = Machine.builder("i-1").launchTime(h.launchTime()).ec2State("shutting-down").lifecycle("Terminating").asgHealthy(true).statusCheck("ok").unhealthySince(null).bootstrap(Bootstrap.SUCCEEDED).skipRemediation(false).advice(Reason.RebalanceRecommended).build();
        assertThat(HealthDecider.classify(leaving, POLICY, NOW).state()).isEqualTo(State.LEAVING);
        Machine stopped = Machine.builder("i-1").launchTime(h.launchTime()).ec2State("stopped").lifecycle("InService").asgHealthy(true).statusCheck(null).unhealthySince(null).bootstrap(Bootstrap.SUCCEEDED).skipRemediation(false).advice(Reason.ScheduledChange).build();
        assertThat(HealthDecider.classify(stopped, POLICY, NOW).reason()).as("what happened beats what was announced").isEqualTo(Reason.Stopped);
        // a Spot interruption is within the budget like any other failure: two of four at 40% are one too many
        List<Machine> fleet = new ArrayList<>(cluster(2, 0));
        for (String id : List.of("i-w1", "i-w2")) {
            fleet.add(Machine.builder(id).launchTime(h.launchTime()).ec2State("running").lifecycle("InService").asgHealthy(true).statusCheck("ok").unhealthySince(null).bootstrap(Bootstrap.SUCCEEDED).skipRemediation(false).advice(Reason.SpotInterruption).build());
        }
        assertThat(HealthDecider.decide(fleet, POLICY, 4, List.of(), NOW).blocked().orElseThrow().kind())
                .isEqualTo(HealingPlan.Block.Kind.MAX_UNHEALTHY);
    }

    @Test
    void adviceIsFollowedOneMachineAtATimeAndNeverBlocksRealHealing() {
        Machine h = healthy("i-1");
        List<Machine> fleet = new ArrayList<>(cluster(1, 0));
        for (String id : List.of("i-r1", "i-r2", "i-r3")) {
            fleet.add(Machine.builder(id).launchTime(h.launchTime()).ec2State("running").lifecycle("InService").asgHealthy(true).statusCheck("ok").unhealthySince(null).bootstrap(Bootstrap.SUCCEEDED).skipRemediation(false).advice(Reason.RebalanceRecommended).build());
        }
        HealingPlan plan = HealthDecider.decide(fleet, POLICY, 4, List.of(), NOW);
        assertThat(plan.blocked()).as("a rebalance wave is no reason to stop healing").isEmpty();
        assertThat(plan.remediate()).singleElement().extracting(HealingPlan.Remediation::reason).isEqualTo(Reason.RebalanceRecommended);

        List<Machine> withFailure = new ArrayList<>(fleet);
        withFailure.add(with(healthy("i-s9"), "stopped", "InService", true, null, null, Bootstrap.SUCCEEDED, h.launchTime()));
        assertThat(HealthDecider.decide(withFailure, POLICY, 5, List.of(), NOW).remediate()).as("the real failure first, advice waits")
                .extracting(HealingPlan.Remediation::instanceId).containsExactly("i-s9");

        List<Machine> successorStarting = new ArrayList<>(fleet);
        successorStarting.add(with(healthy("i-new"), "pending", "Pending", true, null, null, Bootstrap.PENDING, NOW.minusSeconds(30)));
        assertThat(HealthDecider.decide(successorStarting, POLICY, 5, List.of(), NOW).remediate()).as("one at a time").isEmpty();
    }

    @Test
    void aTerminatedMemberIsLeavingWhileTheGroupsOwnReplaceUnhealthyRuns() {
        Machine stranded = with(healthy("i-1"), "terminated", "InService", false, null, null, Bootstrap.SUCCEEDED, NOW.minusSeconds(3600));
        Verdict v = HealthDecider.classify(stranded, asgAlsoHeals(POLICY), NOW);
        assertThat(v.state()).isEqualTo(State.LEAVING);
        assertThat(v.reason()).isEqualTo(Reason.TerminatedExternally);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classification")
    void classifiesEachMachine(String name, Machine machine, State state, Reason reason) {
        Verdict v = HealthDecider.classify(machine, POLICY, NOW);
        assertThat(v.state()).isEqualTo(state);
        assertThat(v.reason()).isEqualTo(reason);
    }

    @Test
    void unhealthySinceIsCarriedAcrossPasses() {
        Machine stopped = with(healthy("i-1"), "stopped", "InService", true, null, NOW.minus(Duration.ofMinutes(3)), Bootstrap.SUCCEEDED,
                NOW.minus(Duration.ofHours(1)));
        assertThat(HealthDecider.classify(stopped, POLICY, NOW).since()).isEqualTo(NOW.minus(Duration.ofMinutes(3)));
    }

    static List<Machine> cluster(int healthy, int stopped) {
        List<Machine> out = new ArrayList<>();
        for (int i = 0; i < healthy; i++) {
            out.add(healthy("i-h" + i));
        }
        for (int i = 0; i < stopped; i++) {
            out.add(with(healthy("i-s" + i), "stopped", "InService", true, null, NOW.minus(Duration.ofMinutes(i)), Bootstrap.SUCCEEDED,
                    NOW.minus(Duration.ofHours(1))));
        }
        return out;
    }

    static Stream<Arguments> budget() {
        return Stream.of(
                Arguments.of("1 of 4 at 40% (allowed 1): replace", "40%", 4, 3, 1, 1, null),
                Arguments.of("2 of 4 at 40% (allowed 1): blocked", "40%", 4, 2, 2, 0, HealingPlan.Block.Kind.MAX_UNHEALTHY),
                Arguments.of("3 of 4 at 50% (allowed 2): blocked", "50%", 4, 1, 3, 0, HealingPlan.Block.Kind.MAX_UNHEALTHY),
                Arguments.of("2 of 4 at 50% (exactly at the limit): replace both", "50%", 4, 2, 2, 2, null),
                Arguments.of("1 of 3 at 50% (1.5 rounds down to 1): replace", "50%", 3, 2, 1, 1, null),
                Arguments.of("2 of 3 at 50%: blocked", "50%", 3, 1, 2, 0, HealingPlan.Block.Kind.MAX_UNHEALTHY),
                Arguments.of("1 of 2 at 0% (floor of one): replace", "0%", 2, 1, 1, 1, null),
                Arguments.of("2 of 2 at 0%: blocked", "0%", 2, 0, 2, 0, HealingPlan.Block.Kind.MAX_UNHEALTHY),
                Arguments.of("count 0 (floor of one): replace", "0", 2, 1, 1, 1, null),
                Arguments.of("1 of 2 at the default 40% (0.8 rounds down, floor of one): replace", "40%", 2, 1, 1, 1, null),
                Arguments.of("1 of 1 at the default 40%: replace", "40%", 1, 0, 1, 1, null),
                Arguments.of("all 3 at 100%: replace all", "100%", 3, 0, 3, 3, null),
                Arguments.of("count larger than total", "10", 3, 0, 3, 3, null),
                Arguments.of("no machines", "40%", 0, 0, 0, 0, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("budget")
    void budgetShortCircuits(String name, String maxUnhealthy, int desired, int healthy, int stopped, int replaced, HealingPlan.Block.Kind block) {
        HealingPlan plan = HealthDecider.decide(cluster(healthy, stopped), policy(maxUnhealthy, 10), desired, List.of(), NOW);
        assertThat(plan.remediate()).hasSize(replaced);
        assertThat(plan.blocked().map(HealingPlan.Block::kind).orElse(null)).isEqualTo(block);
    }

    /** The allowance for every cluster size and setting the issue names: max(1, rounded down). */
    static Stream<Arguments> allowances() {
        return Stream.of(
                // size, setting, allowed
                Arguments.of(0, "0%", 1), Arguments.of(1, "0%", 1), Arguments.of(2, "0%", 1), Arguments.of(3, "0%", 1),
                Arguments.of(5, "0%", 1), Arguments.of(10, "0%", 1),
                Arguments.of(0, "40%", 1), Arguments.of(1, "40%", 1), Arguments.of(2, "40%", 1), Arguments.of(3, "40%", 1),
                Arguments.of(5, "40%", 2), Arguments.of(10, "40%", 4),
                Arguments.of(0, "100%", 1), Arguments.of(1, "100%", 1), Arguments.of(2, "100%", 2), Arguments.of(3, "100%", 3),
                Arguments.of(5, "100%", 5), Arguments.of(10, "100%", 10),
                Arguments.of(0, "0", 1), Arguments.of(1, "0", 1), Arguments.of(2, "0", 1), Arguments.of(10, "0", 1),
                Arguments.of(1, "1", 1), Arguments.of(5, "1", 1), Arguments.of(10, "1", 1),
                Arguments.of(1, "3", 3), Arguments.of(2, "3", 3), Arguments.of(3, "3", 3), Arguments.of(5, "3", 3), Arguments.of(10, "3", 3));
    }

    @ParameterizedTest(name = "size {0} at {1}: {2} allowed")
    @MethodSource("allowances")
    void everyClusterSizeHealsOneMachineAndMassFailureIsStillBlocked(int size, String setting, int allowed) {
        HealthPolicy p = policy(setting, 100);
        assertThat(p.maxUnhealthy().allowed(size)).isEqualTo(allowed);
        if (size == 0) {
            assertThat(HealthDecider.decide(List.of(), p, 0, List.of(), NOW).remediate()).isEmpty();
            return;
        }
        assertThat(HealthDecider.decide(cluster(size - 1, 1), p, size, List.of(), NOW).remediate())
                .as("one dead machine of %d is replaced at %s", size, setting).hasSize(1);
        int atLimit = Math.min(size, allowed);
        HealingPlan limit = HealthDecider.decide(cluster(size - atLimit, atLimit), p, size, List.of(), NOW);
        assertThat(limit.remediate()).hasSize(atLimit);
        assertThat(limit.blocked()).isEmpty();
        if (allowed < size) {
            HealingPlan over = HealthDecider.decide(cluster(size - allowed - 1, allowed + 1), p, size, List.of(), NOW);
            assertThat(over.remediate()).isEmpty();
            assertThat(over.blocked().orElseThrow().kind()).isEqualTo(HealingPlan.Block.Kind.MAX_UNHEALTHY);
            assertThat(over.blocked().orElseThrow().describe()).contains((allowed + 1) + " of " + size).contains(allowed + " allowed");
        }
    }

    @Test
    void machinesTheGroupStillListsAfterEc2TerminatedThemAreReplacedOutsideBudgetAndQuota() {
        List<Machine> machines = new ArrayList<>(cluster(0, 2)); // two stopped: over a 1-machine allowance
        for (String id : List.of("i-t1", "i-t2")) {
            machines.add(with(healthy(id), "terminated", "InService", false, null, null, Bootstrap.SUCCEEDED, NOW.minus(Duration.ofHours(1))));
        }
        HealingPlan plan = HealthDecider.decide(machines, policy("40%", 0), 4, List.of(), NOW);
        assertThat(plan.remediate()).extracting(HealingPlan.Remediation::instanceId).containsExactlyInAnyOrder("i-t1", "i-t2");
        assertThat(plan.remediate()).allSatisfy(r -> assertThat(r.reason()).isEqualTo(Reason.TerminatedExternally));
        assertThat(plan.blocked().orElseThrow().kind()).as("the two stopped ones are still held back")
                .isEqualTo(HealingPlan.Block.Kind.MAX_UNHEALTHY);
        assertThat(plan.blocked().orElseThrow().unhealthy()).as("gone machines do not count").isEqualTo(2);
    }

    @Test
    void aBootstrappingMachineNeitherCountsAgainstTheBudgetNorIsReplaced() {
        List<Machine> machines = new ArrayList<>(cluster(1, 1));
        machines.add(with(healthy("i-gated"), "running", "Pending:Wait", true, "ok", null, Bootstrap.IN_PROGRESS, NOW.minus(Duration.ofMinutes(45))));
        HealingPlan plan = HealthDecider.decide(machines, policy("40%", 10), 3, List.of(), NOW);
        assertThat(plan.count(State.BOOTSTRAPPING)).isEqualTo(1);
        assertThat(plan.remediate()).extracting(HealingPlan.Remediation::instanceId).containsExactly("i-s0");
        assertThat(plan.blocked()).isEmpty();
    }

    @Test
    void aBootstrappingMachineIsCheckedAgainAtItsBootstrapDeadline() {
        Machine m = with(healthy("i-1"), "running", "InService", true, "ok", null, Bootstrap.IN_PROGRESS,
                NOW.minus(Duration.ofMinutes(115)).plusSeconds(5));
        assertThat(HealthDecider.decide(List.of(m), POLICY, 1, List.of(), NOW).nextCheck()).isEqualTo(NOW.plusSeconds(5));
    }

    @Test
    void rateLimitReplacesLongestUnhealthyFirstAndTellsWhenTheWindowOpens() {
        List<Instant> recent = List.of(NOW.minus(Duration.ofMinutes(50)), NOW.minus(Duration.ofMinutes(20)));
        HealingPlan plan = HealthDecider.decide(cluster(8, 2), policy("100%", 3), 10, recent, NOW);
        assertThat(plan.remediate()).singleElement().extracting(HealingPlan.Remediation::instanceId).isEqualTo("i-s1");
        assertThat(plan.blocked()).hasValueSatisfying(b -> assertThat(b.kind()).isEqualTo(HealingPlan.Block.Kind.RATE_LIMIT));
        assertThat(plan.nextCheck()).isBeforeOrEqualTo(NOW.plusSeconds(30));
    }

    @Test
    void aMachineAlreadyRecordedAsReplacedIsRetriedWithoutASecondSlot() {
        List<Instant> recent = List.of(NOW.minus(Duration.ofMinutes(1)));
        HealingPlan again = HealthDecider.decide(cluster(3, 2), policy("100%", 1), 5, recent, java.util.Set.of("i-s0"), NOW);
        assertThat(again.remediate()).extracting(HealingPlan.Remediation::instanceId).containsExactly("i-s0");
        assertThat(again.blocked().orElseThrow().kind()).as("i-s1 would need a second slot").isEqualTo(HealingPlan.Block.Kind.RATE_LIMIT);
    }

    @Test
    void rateLimitWindowSlidesExactlyAtOneHour() {
        List<Instant> exactlyAnHourAgo = List.of(NOW.minus(Duration.ofHours(1)));
        assertThat(HealthDecider.decide(cluster(3, 1), policy("100%", 1), 4, exactlyAnHourAgo, NOW).remediate()).hasSize(1);
        List<Instant> justInside = List.of(NOW.minus(Duration.ofMinutes(59)));
        HealingPlan plan = HealthDecider.decide(cluster(3, 1), policy("100%", 1), 4, justInside, NOW);
        assertThat(plan.remediate()).isEmpty();
        assertThat(plan.blocked().orElseThrow().kind()).isEqualTo(HealingPlan.Block.Kind.RATE_LIMIT);
    }

    @Test
    void optedOutMachinesAreNeverReplacedButCountForTheBudget() {
        List<Machine> machines = new ArrayList<>(cluster(3, 0));
        Machine sick = with(healthy("i-debug"), "stopped", "InService", true, null, null, Bootstrap.SUCCEEDED, NOW.minus(Duration.ofHours(1)));
        machines.add(Machine.builder(sick.instanceId()).launchTime(sick.launchTime()).ec2State(sick.ec2State()).lifecycle(sick.lifecycle()).asgHealthy(true).statusCheck(null).unhealthySince(null).bootstrap(Bootstrap.SUCCEEDED).skipRemediation(true).build());
        HealingPlan plan = HealthDecider.decide(machines, policy("40%", 10), 4, List.of(), NOW);
        assertThat(plan.remediate()).isEmpty();
        assertThat(plan.optedOut()).containsExactly("i-debug");
        assertThat(plan.count(State.UNHEALTHY)).isEqualTo(1);
    }

    @Test
    void nextCheckIsTheEarliestDeadlineCappedAndNeverInThePast() {
        Machine starting = with(healthy("i-1"), "pending", "Pending", true, null, null, Bootstrap.PENDING, NOW.minus(Duration.ofMinutes(9)));
        assertThat(HealthDecider.decide(List.of(starting), POLICY, 1, List.of(), NOW).nextCheck()).isEqualTo(NOW.plus(Duration.ofMinutes(1)).isAfter(NOW.plusSeconds(30))
                ? NOW.plusSeconds(30) : NOW.plus(Duration.ofMinutes(1)));
        Machine almost = with(healthy("i-2"), "pending", "Pending", true, null, null, Bootstrap.PENDING,
                NOW.minus(Duration.ofMinutes(10)).plusSeconds(7));
        assertThat(HealthDecider.decide(List.of(almost), POLICY, 1, List.of(), NOW).nextCheck()).isEqualTo(NOW.plusSeconds(7));
        Machine impaired = with(healthy("i-3"), "running", "InService", true, "impaired", NOW.minus(Duration.ofMinutes(5)).plusSeconds(12),
                Bootstrap.SUCCEEDED, NOW.minus(Duration.ofHours(1)));
        assertThat(HealthDecider.decide(List.of(impaired), POLICY, 1, List.of(), NOW).nextCheck()).isEqualTo(NOW.plusSeconds(12));
        assertThat(HealthDecider.decide(List.of(healthy("i-4")), POLICY, 1, List.of(), NOW).nextCheck()).isEqualTo(NOW.plusSeconds(30));
    }

    @Test
    void maxUnhealthyParsesCountsAndPercentages() {
        assertThat(HealthPolicy.MaxUnhealthy.parse("40%").orElseThrow().allowed(4)).isEqualTo(1);
        assertThat(HealthPolicy.MaxUnhealthy.parse("3").orElseThrow().allowed(100)).isEqualTo(3);
        assertThat(HealthPolicy.MaxUnhealthy.parse("150%")).isEmpty();
        assertThat(HealthPolicy.MaxUnhealthy.parse("x")).isEmpty();
    }
}
