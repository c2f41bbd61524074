package io.autoheal.bootstrap;

import static io.autoheal.bootstrap.BootstrapFixtures.POLICY;
import static io.autoheal.bootstrap.BootstrapFixtures.T0;
import static io.autoheal.bootstrap.BootstrapFixtures.triggered;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.InstanceBootstrapStatus;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The record transitions one by one, and the status row round trip. */
class BootstrapStateMachineTest {

    @Test
    void anAcceptedTriggerIsAnAttemptInFlight() {
        BootstrapRecord r = triggered("job-1", T0);
        assertThat(r).isEqualTo(new BootstrapRecord("job-1", BootstrapPhase.Queued, 1, T0, T0, null, null, null, null));
        assertThat(r.inFlight()).isTrue();
    }

    @Test
    void aRefusedTriggerUsesNoAttemptButBacksOff() {
        BootstrapRecord r = BootstrapStateMachine.onTriggerFailed(BootstrapRecord.fresh(T0), BootstrapFailure.ConnectionRefused, "refused",
                POLICY, T0);
        assertThat(r.attempts()).isZero();
        assertThat(r.phase()).isEqualTo(BootstrapPhase.Pending);
        assertThat(r.lastFailure()).isEqualTo(BootstrapFailure.ConnectionRefused);
        assertThat(r.nextAttemptAt()).isEqualTo(T0.plusSeconds(30));
        // and never touches a job in flight
        BootstrapRecord inFlight = triggered("job-1", T0);
        assertThat(BootstrapStateMachine.onTriggerFailed(inFlight, BootstrapFailure.Timeout, "slow", POLICY, T0)).isEqualTo(inFlight);
    }

    /**
     * The three outcomes of a trigger from a record with one failed job (attempt 1, job-1, tagged): what the record
     * becomes, attempt count, job id, when the next trigger may come.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "null", value = {
            // kind,           attempts, phase,  jobId, nextAttemptAt (s after T1), lastFailure, triggeredAt moves
            "STARTED,          2,        Queued, job-2, null, JobFailed,   true",
            "NOT_STARTED,      1,        Failed, job-1, 30,   HttpStatus,  false",
            "SENT_ANSWER_LOST, 2,        Pending, job-1, 30,  Timeout,     true"})
    void whatEachTriggerOutcomeMakesOfTheRecord(TriggerResult.Kind kind, int attempts, BootstrapPhase phase, String jobId, Long retryAfter,
                                                BootstrapFailure lastFailure, boolean triggeredNow) {
        BootstrapRecord failedOnce = BootstrapStateMachine.onPoll(triggered("job-1", T0), JobStatus.failed("boom"), POLICY, T0.plusSeconds(5));
        Instant t1 = T0.plusSeconds(100);
        TriggerResult result = switch (kind) {
            case STARTED -> TriggerResult.started("job-2");
            case NOT_STARTED -> TriggerResult.failed(BootstrapFailure.HttpStatus, "HTTP 503");
            case SENT_ANSWER_LOST -> TriggerResult.answerLost(BootstrapFailure.Timeout, "timed out after the request was sent");
        };
        BootstrapRecord r = BootstrapStateMachine.onTrigger(failedOnce, result, POLICY, t1);
        assertThat(r.attempts()).isEqualTo(attempts);
        assertThat(r.phase()).isEqualTo(phase);
        assertThat(r.jobId()).isEqualTo(jobId);
        assertThat(r.nextAttemptAt()).isEqualTo(retryAfter == null ? null : t1.plusSeconds(retryAfter));
        assertThat(r.lastFailure()).isEqualTo(lastFailure);
        assertThat(r.triggeredAt()).isEqualTo(triggeredNow ? t1 : T0);
        // the instance's tag still names job-1: after a lost answer it must not be adopted as a job in flight
        assertThat(BootstrapStateMachine.adoptTaggedJob(r, "job-1", POLICY, t1.plusSeconds(1)).inFlight()).isEqualTo(kind == TriggerResult.Kind.STARTED);
    }

    @Test
    void aLostAnswerKeepsItsAttemptOpenAndNamesNoJob() {
        BootstrapRecord r = BootstrapStateMachine.onTriggerAnswerLost(BootstrapRecord.fresh(T0), BootstrapFailure.Unparseable,
                "the trigger answer is an HTML page", POLICY, T0.plusSeconds(3));
        assertThat(r).isEqualTo(new BootstrapRecord(null, BootstrapPhase.Pending, 1, T0, T0.plusSeconds(3), T0.plusSeconds(33),
                BootstrapFailure.Unparseable, "the trigger answer is an HTML page", null));
        assertThat(r.inFlight()).isFalse();
        assertThat(r.awaitingAnswer()).isTrue();
        assertThat(r.nextTriggerAttempt()).as("the same attempt, so the same idempotency key").isEqualTo(1);
        assertThat(BootstrapRows.toRecord(BootstrapRows.toRow(r), T0.plusSeconds(9))).as("survives the status row").isEqualTo(r);
        // and never touches a job in flight or a machine already bootstrapped
        BootstrapRecord inFlight = triggered("job-1", T0);
        assertThat(BootstrapStateMachine.onTriggerAnswerLost(inFlight, BootstrapFailure.Timeout, "slow", POLICY, T0)).isEqualTo(inFlight);
        BootstrapRecord ok = BootstrapStateMachine.onPoll(inFlight, JobStatus.of(BootstrapPhase.Succeeded), POLICY, T0);
        assertThat(BootstrapStateMachine.onTriggerAnswerLost(ok, BootstrapFailure.Timeout, "slow", POLICY, T0)).isEqualTo(ok);
    }

    /** Lost answers repeat the same attempt until its timeout (from the first send); only then is it a failed attempt. */
    @Test
    void lostAnswersRepeatTheAttemptUntilItsTimeoutThenTheMachineGivesUp() {
        BootstrapRecord r = BootstrapRecord.fresh(T0);
        Instant now = T0;
        for (int attempt = 1; attempt <= 3; attempt++) {
            Instant first = now;
            for (int i = 0; i < 5; i++) {
                r = BootstrapStateMachine.onTriggerAnswerLost(r, BootstrapFailure.Timeout, "lost", POLICY, now);
                assertThat(r.attempts()).isEqualTo(attempt);
                assertThat(r.nextTriggerAttempt()).isEqualTo(attempt);
                assertThat(r.triggeredAt()).as("the attempt's clock runs from its first send").isEqualTo(first);
                now = now.plus(Duration.ofMinutes(5));
            }
            assertThat(BootstrapStateMachine.expireUnanswered(r, POLICY, first.plus(Duration.ofMinutes(30)).minusSeconds(1))).isEqualTo(r);
            now = first.plus(Duration.ofMinutes(30));
            r = BootstrapStateMachine.expireUnanswered(r, POLICY, now);
            assertThat(r.phase()).isEqualTo(BootstrapPhase.Failed);
            assertThat(r.lastFailure()).isEqualTo(BootstrapFailure.JobTimedOut);
            assertThat(r.message()).contains("no answer naming a job").contains("last: lost");
            now = r.nextAttemptAt() == null ? now : r.nextAttemptAt();
        }
        assertThat(r.gaveUp(3)).isTrue();
        assertThat(r.nextAttemptAt()).isNull();
    }

    /** The open attempt's job, once named, keeps the attempt's number and clock; a tag naming it is adopted the same way. */
    @Test
    void theOpenAttemptsJobKeepsItsNumberAndClock() {
        BootstrapRecord lost = BootstrapStateMachine.onTriggerAnswerLost(BootstrapRecord.fresh(T0), BootstrapFailure.Timeout, "lost", POLICY,
                T0.plusSeconds(3));
        BootstrapRecord started = BootstrapStateMachine.onTriggered(lost, "job-9", T0.plusSeconds(40));
        assertThat(started.attempts()).isEqualTo(1);
        assertThat(started.triggeredAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(started.inFlight()).isTrue();
        BootstrapRecord adopted = BootstrapStateMachine.adoptTaggedJob(lost, "job-9", BootstrapFixtures.policy(1, true), T0.plusSeconds(40));
        assertThat(adopted).as("adopted even with one attempt (a drain)").isEqualTo(started);
    }

    @Test
    void aPendingAnswerAboutATriggeredJobKeepsItInFlight() {
        BootstrapRecord r = BootstrapStateMachine.onPoll(triggered("job-1", T0), JobStatus.of(BootstrapPhase.Pending), POLICY, T0.plusSeconds(5));
        assertThat(r.phase()).isEqualTo(BootstrapPhase.Queued);
        assertThat(r.inFlight()).isTrue();
    }

    @Test
    void runningStartsANewPhaseAndRepeatsKeepItsStart() {
        BootstrapRecord running = BootstrapStateMachine.onPoll(triggered("job-1", T0), JobStatus.of(BootstrapPhase.Running), POLICY, T0.plusSeconds(5));
        assertThat(running.since()).isEqualTo(T0.plusSeconds(5));
        assertThat(BootstrapStateMachine.onPoll(running, JobStatus.of(BootstrapPhase.Running), POLICY, T0.plusSeconds(15)).since())
                .isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void anUnreadableStatusKeepsThePhaseAndSaysWhy() {
        BootstrapRecord r = BootstrapStateMachine.onPoll(triggered("job-1", T0), JobStatus.unknown(BootstrapFailure.HttpStatus, "HTTP 502"),
                POLICY, T0.plusSeconds(5));
        assertThat(r.phase()).isEqualTo(BootstrapPhase.Queued);
        assertThat(r.inFlight()).isTrue();
        assertThat(r.lastFailure()).isEqualTo(BootstrapFailure.HttpStatus);
        assertThat(r.message()).isEqualTo("HTTP 502");
        // ... until the attempt's timeout
        BootstrapRecord late = BootstrapStateMachine.onPoll(r, JobStatus.unknown(BootstrapFailure.Timeout, "slow"), POLICY,
                T0.plus(Duration.ofMinutes(30)));
        assertThat(late.phase()).isEqualTo(BootstrapPhase.Failed);
        assertThat(late.lastFailure()).isEqualTo(BootstrapFailure.JobTimedOut);
    }

    @Test
    void aFinalAnswerAfterTheTimeoutStillCounts() {
        BootstrapRecord r = BootstrapStateMachine.onPoll(triggered("job-1", T0), JobStatus.of(BootstrapPhase.Succeeded), POLICY,
                T0.plus(Duration.ofHours(1)));
        assertThat(r.phase()).isEqualTo(BootstrapPhase.Succeeded);
    }

    @ParameterizedTest
    @EnumSource(BootstrapPhase.class)
    void answersForAJobNotInFlightChangeNothing(BootstrapPhase answer) {
        BootstrapRecord done = BootstrapStateMachine.onPoll(triggered("job-1", T0), JobStatus.failed("boom"), POLICY, T0);
        assertThat(BootstrapStateMachine.onPoll(done, JobStatus.of(answer), POLICY, T0.plusSeconds(5))).isEqualTo(done);
    }

    @Test
    void theLastAttemptsFailureHasNoRetryTime() {
        BootstrapRecord r = BootstrapRecord.fresh(T0);
        for (int i = 1; i <= 3; i++) {
            r = BootstrapStateMachine.onPoll(BootstrapStateMachine.onTriggered(r, "job-" + i, T0), JobStatus.failed("boom"), POLICY, T0);
        }
        assertThat(r.gaveUp(3)).isTrue();
        assertThat(r.nextAttemptAt()).isNull();
    }

    @Test
    void theTagIsIgnoredWhenTheRecordSucceededFollowsAJobOrHasNoAttemptLeft() {
        BootstrapRecord ok = BootstrapStateMachine.onPoll(triggered("job-1", T0), JobStatus.of(BootstrapPhase.Succeeded), POLICY, T0);
        assertThat(BootstrapStateMachine.adoptTaggedJob(ok, "job-9", POLICY, T0)).isEqualTo(ok);
        BootstrapRecord inFlight = triggered("job-2", T0);
        assertThat(BootstrapStateMachine.adoptTaggedJob(inFlight, "job-1", POLICY, T0)).isEqualTo(inFlight);
        BootstrapRecord gaveUp = new BootstrapRecord("job-3", BootstrapPhase.Failed, 3, T0, T0, null, BootstrapFailure.JobFailed, "x", null);
        assertThat(BootstrapStateMachine.adoptTaggedJob(gaveUp, "job-2", POLICY, T0)).isEqualTo(gaveUp);
        assertThat(BootstrapStateMachine.adoptTaggedJob(BootstrapRecord.fresh(T0), " ", POLICY, T0)).isEqualTo(BootstrapRecord.fresh(T0));
    }

    @Test
    void aLostStatusWriteAfterASecondTriggerIsRecoveredFromTheTag() {
        BootstrapRecord failedOnce = BootstrapStateMachine.onPoll(triggered("job-1", T0), JobStatus.failed("boom"), POLICY, T0);
        BootstrapRecord adopted = BootstrapStateMachine.adoptTaggedJob(failedOnce, "job-2", POLICY, T0.plusSeconds(60));
        assertThat(adopted.jobId()).isEqualTo("job-2");
        assertThat(adopted.attempts()).isEqualTo(2);
        assertThat(adopted.inFlight()).isTrue();
    }

    @Test
    void rowsRoundTrip() {
        BootstrapRecord r = BootstrapStateMachine.onHeartbeat(BootstrapStateMachine.onPoll(triggered("job-1", T0),
                JobStatus.unknown(BootstrapFailure.Tls, "bad cert"), POLICY, T0.plusSeconds(3)), T0.plusSeconds(4));
        InstanceBootstrapStatus row = BootstrapRows.toRow(r);
        assertThat(row.phase).isEqualTo("Queued");
        assertThat(row.lastFailure).isEqualTo("Tls");
        assertThat(BootstrapRows.toRecord(row, T0.plusSeconds(99))).isEqualTo(r);
    }

    @Test
    void aRowEditedIntoNonsenseReadsAsFarAsItCan() {
        InstanceBootstrapStatus row = new InstanceBootstrapStatus();
        row.phase = "Exploded";
        assertThat(BootstrapRows.toRecord(row, T0)).isEqualTo(BootstrapRecord.fresh(T0));
        row.phase = "Running";
        assertThat(BootstrapRows.toRecord(row, T0)).as("running without a job id").isEqualTo(BootstrapRecord.fresh(T0));
        row.jobId = "job-1";
        row.attempts = 1;
        row.triggeredAt = "yesterday";
        row.lastFailure = "Gremlins";
        BootstrapRecord r = BootstrapRows.toRecord(row, T0);
        assertThat(r.inFlight()).isTrue();
        assertThat(r.triggeredAt()).as("the timeout still works").isEqualTo(T0);
        assertThat(r.lastFailure()).isNull();
    }
}
