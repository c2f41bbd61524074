package io.autoheal.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.bootstrap.DrainPlanner.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The drain of a machine in Terminating:Wait, situation by situation: the job is a bootstrap job with one attempt. */
class DrainPlannerTest {
    static final Instant T0 = Instant.parse("2026-11-30T03:00:00Z");
    static final Duration TIMEOUT = Duration.ofMinutes(10);
    static final BootstrapPolicy POLICY = new BootstrapPolicy(TIMEOUT, 1, Duration.ofSeconds(30), Duration.ofMinutes(5), true,
            Duration.ofMinutes(30), Duration.ofSeconds(10));
    static final BootstrapTarget LEAVING = new BootstrapTarget("i-1", "10.0.0.5", true, true, true);

    static BootstrapRecord fresh() {
        return BootstrapRecord.fresh(T0);
    }

    static BootstrapRecord triggered() {
        return BootstrapStateMachine.onTriggered(fresh(), "drain-1", T0.plusSeconds(1));
    }

    static BootstrapRecord answered(JobStatus status, Instant at) {
        return BootstrapStateMachine.onPoll(triggered(), status, POLICY, at);
    }

    static BootstrapRecord notStarted(Instant at) {
        return BootstrapStateMachine.onTriggerFailed(fresh(), BootstrapFailure.Unreachable, "connection refused", POLICY, at);
    }

    static BootstrapRecord lost(BootstrapRecord r, Instant at) {
        return BootstrapStateMachine.onTriggerAnswerLost(r, BootstrapFailure.Timeout, "timed out after the request was sent", POLICY, at);
    }

    /** Each row: the record, when we look, onTimeout Keep?, the expected kind (the machine already reported leaving). */
    @ParameterizedTest(name = "{0} at +{1}s keep={2} -> {3}")
    @CsvSource({
            "fresh,          0,    false, TRIGGER",
            "fresh,          0,    true,  TRIGGER",
            "triggered,      5,    false, POLL",
            "running,        30,   false, POLL",
            "succeeded,      30,   false, CONTINUE",
            "succeeded,      30,   true,  CONTINUE",
            "failed,         30,   false, CONTINUE_UNDRAINED",
            "failed,         30,   true,  KEEP",
            "running,        601,  false, POLL",              // past its deadline: asked once more, a final answer wins
            "timedOut,       602,  false, CONTINUE_UNDRAINED",
            "timedOut,       602,  true,  KEEP",
            "notStarted,     20,   false, WAIT",              // back-off (30 s) after a trigger that reached nobody
            "notStarted,     40,   false, TRIGGER",           // then tried again
            "notStarted,     600,  false, CONTINUE_UNDRAINED", // never started within the drain's time
            "notStarted,     600,  true,  KEEP",
            "fresh,          600,  false, CONTINUE_UNDRAINED",
            // the trigger went out, its answer was lost (a timeout, a reset, a 2xx naming no job): never skipped, the
            // same attempt (same idempotency key) is sent again until spec.drain.timeout, which alone decides
            "lost,           20,   false, WAIT",              // back-off (30 s) before sending it again
            "lost,           40,   false, TRIGGER",           // sent again: still attempt 1
            "lost,           300,  false, TRIGGER",
            "lostTwice,      599,  false, TRIGGER",
            "lost,           600,  false, CONTINUE_UNDRAINED", // the drain's time is over: onTimeout decides
            "lost,           600,  true,  KEEP",
            "lostTwice,      600,  true,  KEEP",
            // an unreadable status answer (200 {"error": "x"}) keeps the job in flight until its timeout
            "unreadable,     300,  false, POLL",
            "unreadable,     602,  false, CONTINUE_UNDRAINED"})
    void table(String situation, long seconds, boolean keep, Kind expected) {
        Instant now = T0.plusSeconds(seconds);
        BootstrapRecord r = switch (situation) {
            case "fresh" -> fresh();
            case "triggered" -> triggered();
            case "running" -> answered(JobStatus.of(BootstrapPhase.Running), T0.plusSeconds(20));
            case "succeeded" -> answered(JobStatus.of(BootstrapPhase.Succeeded), T0.plusSeconds(20));
            case "failed" -> answered(JobStatus.failed("drain playbook failed"), T0.plusSeconds(20));
            case "timedOut" -> answered(JobStatus.of(BootstrapPhase.Running), T0.plusSeconds(601));
            case "notStarted" -> notStarted(T0.plusSeconds(1));
            case "lost" -> lost(fresh(), T0.plusSeconds(1));
            case "lostTwice" -> lost(lost(fresh(), T0.plusSeconds(1)), T0.plusSeconds(500));
            case "unreadable" -> {
                BootstrapRecord u = answered(JobStatus.unknown(BootstrapFailure.Unparseable, "unreadable"), T0.plusSeconds(20));
                assertThat(u.inFlight()).isTrue();
                yield seconds > 600 ? BootstrapStateMachine.onPoll(u, JobStatus.unknown(BootstrapFailure.Unparseable, "unreadable"), POLICY,
                        T0.plusSeconds(601)) : u;
            }
            default -> throw new IllegalArgumentException(situation);
        };
        DrainPlanner.Plan plan = DrainPlanner.plan(LEAVING, r, POLICY, keep, true, now);
        assertThat(plan.kind()).isEqualTo(expected);
        if (expected == Kind.TRIGGER) {
            assertThat(plan.attempt()).isEqualTo(1);
        }
    }

    /**
     * The machine leaves discovery before its drain starts: a trigger waits until the previous status (what the
     * publishers published) reported it leaving, and looks again at once. Only the trigger waits: a job in flight is
     * polled, an ended one answered, and the drain's deadline still counts from when the machine began to leave.
     */
    @ParameterizedTest(name = "{0} at +{1}s reported={2} -> {3}")
    @CsvSource({
            "fresh,       0,   false, WAIT",
            "fresh,       0,   true,  TRIGGER",
            "notStarted,  40,  false, WAIT",
            "notStarted,  40,  true,  TRIGGER",
            "triggered,   5,   false, POLL",       // a job already started (a restart, a row lost): never held back
            "succeeded,   30,  false, CONTINUE",
            "fresh,       600, false, CONTINUE_UNDRAINED"})
    void theTriggerWaitsForTheMachineToBeReportedLeaving(String situation, long seconds, boolean reported, Kind expected) {
        Instant now = T0.plusSeconds(seconds);
        BootstrapRecord r = switch (situation) {
            case "fresh" -> fresh();
            case "triggered" -> triggered();
            case "succeeded" -> answered(JobStatus.of(BootstrapPhase.Succeeded), T0.plusSeconds(20));
            case "notStarted" -> notStarted(T0.plusSeconds(1));
            case "lost" -> lost(fresh(), T0.plusSeconds(1));
            case "lostTwice" -> lost(lost(fresh(), T0.plusSeconds(1)), T0.plusSeconds(500));
            case "unreadable" -> {
                BootstrapRecord u = answered(JobStatus.unknown(BootstrapFailure.Unparseable, "unreadable"), T0.plusSeconds(20));
                assertThat(u.inFlight()).isTrue();
                yield seconds > 600 ? BootstrapStateMachine.onPoll(u, JobStatus.unknown(BootstrapFailure.Unparseable, "unreadable"), POLICY,
                        T0.plusSeconds(601)) : u;
            }
            default -> throw new IllegalArgumentException(situation);
        };
        DrainPlanner.Plan plan = DrainPlanner.plan(LEAVING, r, POLICY, false, reported, now);
        assertThat(plan.kind()).isEqualTo(expected);
        if (expected == Kind.WAIT) {
            assertThat(plan.nextCheck()).as("looked at again at once (the requeue's floor: a second)").contains(now);
        }
    }

    @Test
    void aJobInFlightIsNeverTriggeredTwiceAndTheHookIsHeartbeatedWhileItRunsLong() {
        BootstrapRecord running = answered(JobStatus.of(BootstrapPhase.Running), T0.plusSeconds(20));
        BootstrapPolicy longDrain = new BootstrapPolicy(Duration.ofHours(3), 1, Duration.ofSeconds(30), Duration.ofMinutes(5), true,
                Duration.ofMinutes(30), Duration.ofSeconds(10));
        assertThat(DrainPlanner.plan(LEAVING, running, longDrain, false, true, T0.plus(Duration.ofMinutes(31))).kind()).isEqualTo(Kind.HEARTBEAT);
        assertThat(DrainPlanner.plan(LEAVING, running, longDrain, false, true, T0.plus(Duration.ofMinutes(29))).kind()).isEqualTo(Kind.POLL);
    }

    @Test
    void aKeptMachineIsHeartbeatedEveryIntervalAndLookedAtAgainThen() {
        BootstrapRecord failed = answered(JobStatus.failed("x"), T0.plusSeconds(20));
        DrainPlanner.Plan early = DrainPlanner.plan(LEAVING, failed, POLICY, true, true, T0.plusSeconds(60));
        assertThat(early.heartbeat()).isFalse();
        assertThat(early.nextCheck()).contains(T0.plusSeconds(20).plus(Duration.ofMinutes(30)));
        DrainPlanner.Plan due = DrainPlanner.plan(LEAVING, failed, POLICY, true, true, T0.plus(Duration.ofMinutes(31)));
        assertThat(due.heartbeat()).isTrue();
        BootstrapRecord beaten = BootstrapStateMachine.onHeartbeat(failed, T0.plus(Duration.ofMinutes(31)));
        assertThat(DrainPlanner.plan(LEAVING, beaten, POLICY, true, true, T0.plus(Duration.ofMinutes(32))).heartbeat()).isFalse();
    }

    @Test
    void waitingIsBoundedByTheDrainsDeadline() {
        DrainPlanner.Plan plan = DrainPlanner.plan(new BootstrapTarget("i-1", null, true, true, true), fresh(), POLICY, false, true, T0.plusSeconds(5));
        assertThat(plan.kind()).isEqualTo(Kind.WAIT);
        assertThat(plan.nextCheck()).isEqualTo(Optional.of(T0.plusSeconds(15)));
        assertThat(DrainPlanner.plan(new BootstrapTarget("i-1", null, true, true, true), fresh(), POLICY, false, true, T0.plus(TIMEOUT)).kind())
                .isEqualTo(Kind.CONTINUE_UNDRAINED);
    }
}
