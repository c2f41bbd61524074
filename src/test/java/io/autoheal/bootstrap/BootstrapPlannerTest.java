package io.autoheal.bootstrap;

import static io.autoheal.bootstrap.BootstrapFixtures.POLICY;
import static io.autoheal.bootstrap.BootstrapFixtures.READY;
import static io.autoheal.bootstrap.BootstrapFixtures.T0;
import static io.autoheal.bootstrap.BootstrapFixtures.policy;
import static io.autoheal.bootstrap.BootstrapFixtures.target;
import static io.autoheal.bootstrap.BootstrapFixtures.triggered;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.bootstrap.BootstrapStep.Kind;
import io.autoheal.bootstrap.BootstrapStep.LaunchAction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the planner decides, machine state by machine state. */
class BootstrapPlannerTest {

    static BootstrapPlan plan(BootstrapTarget target, BootstrapRecord r, Instant now) {
        return BootstrapPlanner.plan(target, r, POLICY, now);
    }

    @ParameterizedTest(name = "running={0} addressReady={1} privateIp={2} -> {3}")
    @CsvSource(nullValues = "null", value = {
            "false, false, 10.0.0.5, WAIT",
            "false, true,  10.0.0.5, WAIT",
            "true,  false, 10.0.0.5, WAIT",
            "true,  true,  null,     WAIT",
            "true,  true,  10.0.0.5, TRIGGER"})
    void theFirstTriggerOnlyWhenRunningWithAnAddress(boolean running, boolean addressReady, String ip, Kind kind) {
        BootstrapPlan plan = plan(new BootstrapTarget("i-1", ip, running, addressReady, false), BootstrapRecord.fresh(T0), T0);
        assertThat(plan.step().kind()).isEqualTo(kind);
        assertThat(plan.nextCheck()).contains(T0.plusSeconds(10));
        if (kind == Kind.TRIGGER) {
            assertThat(plan.step().attempt()).isEqualTo(1);
        }
    }

    @Test
    void aJobInFlightIsPolledNeverTriggeredAgain() {
        BootstrapRecord r = triggered("job-1", T0);
        for (BootstrapRecord inFlight : List.of(r, BootstrapStateMachine.onPoll(r, JobStatus.of(BootstrapPhase.Running), POLICY, T0.plusSeconds(10)))) {
            BootstrapPlan plan = plan(READY, inFlight, T0.plusSeconds(20));
            assertThat(plan.step()).isEqualTo(BootstrapStep.poll("job-1"));
            assertThat(plan.record()).isEqualTo(inFlight);
        }
    }

    @Test
    void aJobOnlyTheTagKnowsIsAdoptedAndPolled() {
        // The operator crashed after the trigger and the tag, before the status write: the row is still fresh.
        BootstrapRecord restored = BootstrapRows.restore(null, "job-7", POLICY, T0);
        assertThat(restored.jobId()).isEqualTo("job-7");
        assertThat(restored.attempts()).isEqualTo(1);
        assertThat(restored.phase()).isEqualTo(BootstrapPhase.Queued);
        assertThat(plan(READY, restored, T0).step()).isEqualTo(BootstrapStep.poll("job-7"));
    }

    @Test
    void theTagOfTheLastFailedJobIsNotAdoptedAgain() {
        BootstrapRecord failed = BootstrapStateMachine.onPoll(triggered("job-1", T0), JobStatus.failed("boom"), POLICY, T0.plusSeconds(10));
        BootstrapRecord restored = BootstrapRows.restore(BootstrapRows.toRow(failed), "job-1", POLICY, T0.plusSeconds(20));
        assertThat(restored).isEqualTo(failed);
        assertThat(plan(READY, restored, T0.plusSeconds(20)).step()).isEqualTo(BootstrapStep.retryLater(T0.plusSeconds(40)));
        assertThat(plan(READY, restored, T0.plusSeconds(40)).step()).isEqualTo(BootstrapStep.trigger(2));
    }

    @Test
    void failTwiceThenSucceedEndsSucceededWithThreeAttempts() {
        BootstrapRecord r = BootstrapRecord.fresh(T0);
        Instant now = T0;
        for (int attempt = 1; attempt <= 3; attempt++) {
            BootstrapPlan plan = plan(READY, r, now);
            assertThat(plan.step()).isEqualTo(BootstrapStep.trigger(attempt));
            r = BootstrapStateMachine.onTriggered(plan.record(), "job-" + attempt, now);
            now = now.plusSeconds(10);
            r = BootstrapStateMachine.onPoll(r, attempt < 3 ? JobStatus.failed("boom") : JobStatus.of(BootstrapPhase.Succeeded), POLICY, now);
            now = now.plus(Duration.ofMinutes(10));
        }
        assertThat(r.phase()).isEqualTo(BootstrapPhase.Succeeded);
        assertThat(r.attempts()).isEqualTo(3);
        assertThat(plan(READY, r, now)).isEqualTo(new BootstrapPlan(BootstrapStep.nothing(), r, Optional.empty()));
    }

    @Test
    void alwaysFailingGivesUpAfterMaxAttempts() {
        BootstrapRecord r = BootstrapRecord.fresh(T0);
        Instant now = T0;
        int triggers = 0;
        while (plan(READY, r, now).step().kind() != Kind.GIVE_UP) {
            BootstrapPlan plan = plan(READY, r, now);
            if (plan.step().kind() == Kind.TRIGGER) {
                triggers++;
                r = BootstrapStateMachine.onTriggered(r, "job-" + triggers, now);
            } else if (plan.step().kind() == Kind.POLL) {
                r = BootstrapStateMachine.onPoll(r, JobStatus.failed("boom"), POLICY, now);
            }
            now = now.plusSeconds(10);
            assertThat(triggers).isLessThanOrEqualTo(3);
        }
        assertThat(triggers).isEqualTo(3);
        BootstrapPlan last = plan(READY, r, now);
        assertThat(last.step().launchAction()).as("no launch gate, no ABANDON").isNull();
        assertThat(last.nextCheck()).isEmpty();
        assertThat(r.gaveUp(3)).isTrue();
    }

    /**
     * A trigger sent whose answer was lost may have started a job: it is sent again after the back-off base (no
     * re-POST at once) as the SAME attempt (same idempotency key), until the attempt's timeout from its first send;
     * then it is a failed attempt, and after maxAttempts the machine gives up (ABANDON when held by the launch gate).
     * A trigger that started no job (refused) waits the back-off too but uses no attempt.
     */
    @Test
    void aLostTriggerAnswerIsSentAgainAsTheSameAttemptUntilItsTimeout() {
        BootstrapPolicy gated = policy(2, true);
        BootstrapTarget held = target(true, true, true);
        TriggerResult lost = TriggerResult.answerLost(BootstrapFailure.Timeout, "timed out after the request was sent");

        BootstrapPlan first = BootstrapPlanner.plan(held, BootstrapRecord.fresh(T0), gated, T0);
        assertThat(first.step()).isEqualTo(BootstrapStep.trigger(1));
        BootstrapRecord r = BootstrapStateMachine.onTrigger(first.record(), lost, gated, T0);
        assertThat(BootstrapPlanner.plan(held, r, gated, T0).step()).as("not re-posted at once").isEqualTo(BootstrapStep.retryLater(T0.plusSeconds(30)));
        assertThat(BootstrapPlanner.plan(held, r, gated, T0.plusSeconds(29)).nextCheck()).contains(T0.plusSeconds(30));
        BootstrapPlan again = BootstrapPlanner.plan(held, r, gated, T0.plusSeconds(30));
        assertThat(again.step()).as("the same attempt").isEqualTo(BootstrapStep.trigger(1));
        r = BootstrapStateMachine.onTrigger(again.record(), lost, gated, T0.plusSeconds(30));
        assertThat(BootstrapPlanner.plan(held, r, gated, T0.plusSeconds(60)).step()).isEqualTo(BootstrapStep.trigger(1));

        // the attempt's 30 minutes end: a failed attempt, the next one after the back-off
        BootstrapPlan expired = BootstrapPlanner.plan(held, r, gated, T0.plus(Duration.ofMinutes(30)));
        assertThat(expired.step()).isEqualTo(BootstrapStep.retryLater(T0.plus(Duration.ofMinutes(30)).plusSeconds(30)));
        assertThat(expired.record().lastFailure()).isEqualTo(BootstrapFailure.JobTimedOut);
        Instant t2 = T0.plus(Duration.ofMinutes(31));
        BootstrapPlan second = BootstrapPlanner.plan(held, expired.record(), gated, t2);
        assertThat(second.step()).isEqualTo(BootstrapStep.trigger(2));

        r = BootstrapStateMachine.onTrigger(second.record(), lost, gated, t2);
        assertThat(BootstrapPlanner.plan(held, r, gated, t2.plusSeconds(31)).step()).isEqualTo(BootstrapStep.trigger(2));
        BootstrapPlan last = BootstrapPlanner.plan(held, r, gated, t2.plus(Duration.ofMinutes(30)));
        assertThat(last.step()).isEqualTo(BootstrapStep.giveUp(true));
        assertThat(last.step().launchAction()).isEqualTo(LaunchAction.ABANDON);
        assertThat(last.nextCheck()).isEmpty();

        // the same two outcomes as refusals: nothing was started, nothing is given up
        BootstrapRecord refused = BootstrapRecord.fresh(T0);
        for (int i = 0; i < 5; i++) {
            Instant at = T0.plus(Duration.ofMinutes(10L * i));
            BootstrapPlan plan = BootstrapPlanner.plan(held, refused, gated, at);
            assertThat(plan.step()).isEqualTo(BootstrapStep.trigger(1));
            refused = BootstrapStateMachine.onTrigger(plan.record(), TriggerResult.failed(BootstrapFailure.HttpStatus, "HTTP 503"), gated, at);
            assertThat(BootstrapPlanner.plan(held, refused, gated, at).step().kind()).isEqualTo(Kind.RETRY_LATER);
        }
        assertThat(refused.attempts()).isZero();
    }

    @Test
    void aJobPastTheTimeoutIsAskedOnceMoreAndFailsOnlyWithoutAFinalAnswer() {
        BootstrapRecord r = triggered("job-1", T0);
        assertThat(plan(READY, r, T0.plus(Duration.ofMinutes(29))).step().kind()).isEqualTo(Kind.POLL);

        Instant deadline = T0.plus(Duration.ofMinutes(30));
        BootstrapPlan late = plan(READY, r, deadline);
        assertThat(late.step()).isEqualTo(BootstrapStep.poll("job-1"));
        assertThat(late.record()).as("nothing decided before the answer").isEqualTo(r);

        BootstrapRecord stillRunning = BootstrapStateMachine.onPoll(late.record(), JobStatus.of(BootstrapPhase.Running), POLICY, deadline);
        assertThat(stillRunning.phase()).isEqualTo(BootstrapPhase.Failed);
        assertThat(stillRunning.lastFailure()).isEqualTo(BootstrapFailure.JobTimedOut);
        assertThat(plan(READY, stillRunning, deadline).step()).isEqualTo(BootstrapStep.retryLater(deadline.plusSeconds(30)));

        BootstrapRecord finishedMeanwhile = BootstrapStateMachine.onPoll(late.record(), JobStatus.of(BootstrapPhase.Succeeded), POLICY,
                deadline);
        assertThat(finishedMeanwhile.phase()).isEqualTo(BootstrapPhase.Succeeded);
    }

    @Test
    void aJobThatSucceededWhileTheOperatorWasDownIsNeitherRetriggeredNorAbandoned() {
        BootstrapPolicy one = policy(1, true);
        Instant muchLater = T0.plus(Duration.ofHours(3));
        BootstrapPlan plan = BootstrapPlanner.plan(target(true, true, true), triggered("job-1", T0), one, muchLater);
        assertThat(plan.step()).isEqualTo(BootstrapStep.poll("job-1"));
        BootstrapRecord answered = BootstrapStateMachine.onPoll(plan.record(), JobStatus.of(BootstrapPhase.Succeeded), one, muchLater);
        assertThat(BootstrapPlanner.plan(target(true, true, true), answered, one, muchLater).step()).isEqualTo(BootstrapStep.complete());
    }

    @Test
    void timeoutsCountTowardsGivingUp() {
        BootstrapPolicy one = policy(1, true);
        Instant late = T0.plus(Duration.ofHours(1));
        BootstrapPlan ask = BootstrapPlanner.plan(target(true, true, true), triggered("job-1", T0), one, late);
        assertThat(ask.step().kind()).isEqualTo(Kind.POLL);
        BootstrapRecord timedOut = BootstrapStateMachine.onPoll(ask.record(), JobStatus.unknown(BootstrapFailure.Timeout, "slow"), one, late);
        BootstrapPlan plan = BootstrapPlanner.plan(target(true, true, true), timedOut, one, late);
        assertThat(plan.step()).isEqualTo(BootstrapStep.giveUp(true));
        assertThat(plan.step().launchAction()).isEqualTo(LaunchAction.ABANDON);
        assertThat(plan.record().lastFailure()).isEqualTo(BootstrapFailure.JobTimedOut);
    }

    @ParameterizedTest(name = "after failure {0}: wait {1}s")
    @CsvSource({"1, 30", "2, 60", "3, 120", "4, 240", "5, 300", "30, 300"})
    void backoffDoublesAndIsCapped(int failures, long seconds) {
        BootstrapPolicy many = policy(50, false);
        assertThat(many.backoffAfter(failures)).isEqualTo(Duration.ofSeconds(seconds));
        BootstrapRecord r = BootstrapRecord.fresh(T0);
        for (int i = 1; i <= failures; i++) {
            r = BootstrapStateMachine.onPoll(BootstrapStateMachine.onTriggered(r, "job-" + i, T0), JobStatus.failed("boom"), many, T0);
        }
        assertThat(r.nextAttemptAt()).isEqualTo(T0.plusSeconds(seconds));
        assertThat(BootstrapPlanner.plan(READY, r, many, T0).nextCheck()).contains(T0.plusSeconds(seconds));
    }

    @Test
    void heartbeatsOnlyWithTheLaunchGateWhileTheJobRunsLong() {
        BootstrapPolicy gated = policy(3, true);
        BootstrapTarget held = target(true, true, true);
        BootstrapRecord r = triggered("job-1", T0);

        assertThat(BootstrapPlanner.plan(held, r, gated, T0.plus(Duration.ofMinutes(9))).step().kind()).isEqualTo(Kind.POLL);
        assertThat(BootstrapPlanner.plan(held, r, gated, T0.plus(Duration.ofMinutes(10))).step()).isEqualTo(BootstrapStep.heartbeat("job-1"));
        assertThat(BootstrapPlanner.plan(held, r, POLICY, T0.plus(Duration.ofMinutes(10))).step().kind()).as("no gate").isEqualTo(Kind.POLL);
        assertThat(BootstrapPlanner.plan(READY, r, gated, T0.plus(Duration.ofMinutes(10))).step().kind()).as("not held").isEqualTo(Kind.POLL);

        BootstrapRecord beat = BootstrapStateMachine.onHeartbeat(r, T0.plus(Duration.ofMinutes(10)));
        assertThat(BootstrapPlanner.plan(held, beat, gated, T0.plus(Duration.ofMinutes(15))).step().kind()).isEqualTo(Kind.POLL);
        assertThat(BootstrapPlanner.plan(held, beat, gated, T0.plus(Duration.ofMinutes(20))).step().kind()).isEqualTo(Kind.HEARTBEAT);
    }

    @Test
    void theLaunchGateIsAnsweredContinueOnSuccessAndAbandonOnGivingUp() {
        BootstrapPolicy gated = policy(1, true);
        BootstrapRecord ok = BootstrapStateMachine.onPoll(triggered("job-1", T0), JobStatus.of(BootstrapPhase.Succeeded), gated, T0);
        BootstrapRecord bad = BootstrapStateMachine.onPoll(triggered("job-1", T0), JobStatus.failed("boom"), gated, T0);

        assertThat(BootstrapPlanner.plan(target(true, true, true), ok, gated, T0).step()).isEqualTo(BootstrapStep.complete());
        assertThat(BootstrapPlanner.plan(target(true, true, false), ok, gated, T0).step()).as("already in service").isEqualTo(BootstrapStep.nothing());
        assertThat(BootstrapPlanner.plan(target(true, true, true), bad, gated, T0).step().launchAction()).isEqualTo(LaunchAction.ABANDON);
        assertThat(BootstrapPlanner.plan(target(true, true, false), bad, gated, T0).step()).isEqualTo(BootstrapStep.giveUp(false));
    }

    @Test
    void nextCheckIsTheEarliestOfPollTimeoutAndHeartbeat() {
        BootstrapPolicy gated = policy(3, true);
        BootstrapRecord r = triggered("job-1", T0);
        assertThat(BootstrapPlanner.plan(READY, r, gated, T0).nextCheck()).contains(T0.plusSeconds(10));
        // 5 s before the timeout: the timeout comes before the next poll
        Instant late = T0.plus(Duration.ofMinutes(30)).minusSeconds(5);
        assertThat(BootstrapPlanner.plan(READY, BootstrapStateMachine.onHeartbeat(r, late), gated, late).nextCheck())
                .contains(T0.plus(Duration.ofMinutes(30)));
        // 3 s before a heartbeat is due
        Instant beforeBeat = T0.plus(Duration.ofMinutes(10)).minusSeconds(3);
        assertThat(BootstrapPlanner.plan(target(true, true, true), r, gated, beforeBeat).nextCheck()).contains(T0.plus(Duration.ofMinutes(10)));

        List<BootstrapPlan> plans = List.of(BootstrapPlanner.plan(READY, r, POLICY, T0),
                new BootstrapPlan(BootstrapStep.retryLater(T0.plusSeconds(4)), r, Optional.of(T0.plusSeconds(4))),
                new BootstrapPlan(BootstrapStep.nothing(), r, Optional.empty()));
        assertThat(BootstrapPlanner.nextCheck(plans)).contains(T0.plusSeconds(4));
        assertThat(BootstrapPlanner.nextCheck(List.of())).isEmpty();
    }

    @Test
    void aMachineStoppedDuringBackoffWaitsInsteadOfTriggering() {
        BootstrapRecord failed = BootstrapStateMachine.onPoll(triggered("job-1", T0), JobStatus.failed("boom"), POLICY, T0);
        assertThat(plan(target(false, true, false), failed, T0.plusSeconds(60)).step().kind()).isEqualTo(Kind.WAIT);
        assertThat(plan(READY, failed, T0.plusSeconds(60)).step()).isEqualTo(BootstrapStep.trigger(2));
    }
}
