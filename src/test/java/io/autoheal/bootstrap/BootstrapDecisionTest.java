package io.autoheal.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.bootstrap.BootstrapDecision.Step;
import io.autoheal.bootstrap.BootstrapRecord.Failure;
import io.autoheal.bootstrap.BootstrapRecord.Phase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BootstrapDecisionTest {
    static final Instant T0 = Instant.parse("2026-11-25T03:00:00Z");
    static final BootstrapPolicy POLICY = new BootstrapPolicy(Duration.ofMinutes(30), 3, Duration.ofSeconds(30), Duration.ofMinutes(5));

    @Test
    void waitsUntilTheMachineIsReadyThenTriggersOnce() {
        BootstrapRecord fresh = BootstrapRecord.fresh(T0);
        assertThat(BootstrapDecision.next(fresh, false, null, POLICY, T0)).isEqualTo(Step.WAIT);
        assertThat(BootstrapDecision.next(fresh, true, null, POLICY, T0)).isEqualTo(Step.TRIGGER);
        BootstrapRecord triggered = BootstrapDecision.onTriggered(fresh, "job-1", T0);
        assertThat(triggered.attempts()).isEqualTo(1);
        assertThat(BootstrapDecision.next(triggered, true, "job-1", POLICY, T0.plusSeconds(5))).isEqualTo(Step.POLL);
    }

    @Test
    void aJobKnownOnlyFromTheInstanceTagIsAdoptedNotTriggeredAgain() {
        BootstrapRecord lost = BootstrapDecision.adopt(BootstrapRecord.fresh(T0), "job-7", T0);
        assertThat(lost.jobId()).isEqualTo("job-7");
        assertThat(lost.attempts()).isEqualTo(1);
        assertThat(BootstrapDecision.next(lost, true, "job-7", POLICY, T0)).isEqualTo(Step.POLL);
    }

    @Test
    void theTagOfTheLastFailedJobIsNotAdoptedAgain() {
        BootstrapRecord failed = BootstrapDecision.onStatus(BootstrapDecision.onTriggered(BootstrapRecord.fresh(T0), "job-1", T0),
                JobStatus.of(Phase.Failed), POLICY, T0.plusSeconds(10));
        assertThat(BootstrapDecision.adopt(failed, "job-1", T0.plusSeconds(20))).isEqualTo(failed);
        assertThat(BootstrapDecision.next(failed, true, "job-1", POLICY, T0.plusSeconds(20))).isEqualTo(Step.BACKOFF);
        assertThat(BootstrapDecision.next(failed, true, "job-1", POLICY, T0.plusSeconds(41))).isEqualTo(Step.TRIGGER);
    }

    @Test
    void failsTwiceThenSucceedsWithThreeAttempts() {
        BootstrapRecord r = BootstrapRecord.fresh(T0);
        Instant now = T0;
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertThat(BootstrapDecision.next(r, true, r.jobId(), POLICY, now)).isEqualTo(Step.TRIGGER);
            r = BootstrapDecision.onTriggered(r, "job-" + attempt, now);
            now = now.plusSeconds(10);
            r = BootstrapDecision.onStatus(r, JobStatus.of(attempt < 3 ? Phase.Failed : Phase.Succeeded), POLICY, now);
            now = now.plus(Duration.ofMinutes(10));
        }
        assertThat(r.phase()).isEqualTo(Phase.Succeeded);
        assertThat(r.attempts()).isEqualTo(3);
        assertThat(BootstrapDecision.next(r, true, r.jobId(), POLICY, now)).isEqualTo(Step.DONE);
    }

    @Test
    void givesUpAfterMaxAttemptsAndTimeoutsCount() {
        BootstrapRecord r = BootstrapRecord.fresh(T0);
        Instant now = T0;
        for (int attempt = 1; attempt <= 3; attempt++) {
            r = BootstrapDecision.onTriggered(r, "job-" + attempt, now);
            now = now.plus(Duration.ofMinutes(31));
            r = BootstrapDecision.onStatus(r, JobStatus.of(Phase.Running), POLICY, now);
            assertThat(r.lastFailure()).isEqualTo(Failure.JobTimedOut);
        }
        assertThat(BootstrapDecision.next(r, true, r.jobId(), POLICY, now)).isEqualTo(Step.GAVE_UP);
        assertThat(r.nextAttemptAt()).isNull();
    }

    @Test
    void aRefusedTriggerUsesNoAttemptButBacksOff() {
        BootstrapRecord r = BootstrapDecision.onTriggerFailed(BootstrapRecord.fresh(T0), Failure.ConnectionRefused, "refused", POLICY, T0);
        assertThat(r.attempts()).isZero();
        assertThat(r.lastFailure()).isEqualTo(Failure.ConnectionRefused);
        assertThat(BootstrapDecision.next(r, true, null, POLICY, T0.plusSeconds(10))).isEqualTo(Step.BACKOFF);
        assertThat(BootstrapDecision.next(r, true, null, POLICY, T0.plusSeconds(30))).isEqualTo(Step.TRIGGER);
    }

    @Test
    void unreadableStatusKeepsPollingUntilTheTimeout() {
        BootstrapRecord r = BootstrapDecision.onTriggered(BootstrapRecord.fresh(T0), "job-1", T0);
        BootstrapRecord unknown = BootstrapDecision.onStatus(r, JobStatus.unknown(Failure.HttpStatus, "HTTP 502"), POLICY, T0.plusSeconds(5));
        assertThat(unknown.phase()).isEqualTo(Phase.Queued);
        assertThat(unknown.lastFailure()).isEqualTo(Failure.HttpStatus);
        assertThat(BootstrapDecision.next(unknown, true, "job-1", POLICY, T0.plusSeconds(6))).isEqualTo(Step.POLL);
    }

    @Test
    void backOffDoublesAndIsCapped() {
        assertThat(POLICY.backoffAfter(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(POLICY.backoffAfter(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(POLICY.backoffAfter(10)).isEqualTo(Duration.ofMinutes(5));
    }
}
