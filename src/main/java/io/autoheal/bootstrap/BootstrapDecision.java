package io.autoheal.bootstrap;

import io.autoheal.bootstrap.BootstrapRecord.Failure;
import io.autoheal.bootstrap.BootstrapRecord.Phase;
import java.time.Instant;

/**
 * Pure bootstrap state machine of one machine. {@link #next} says what to do now; the {@code on*} functions give
 * the record after something happened. One job at a time: a machine with a job in flight is only polled, and a
 * job id found only in the EC2 tag (a crash between trigger and status write) is adopted, never triggered again.
 * Attempts count triggered jobs; a failed or timed-out job is retried with back-off until maxAttempts, then the
 * machine's bootstrap has failed for good (healing replaces it). A trigger the bootstrapper did not accept
 * (connection refused, 5xx, garbage) started no job: it is retried with back-off without using an attempt.
 */
public final class BootstrapDecision {
    private BootstrapDecision() {
    }

    /** What to do for one machine now. */
    public enum Step { WAIT, TRIGGER, POLL, BACKOFF, DONE, GAVE_UP }

    /**
     * @param ready     running and, when the cluster requires it, carrying its Elastic IP
     * @param taggedJob the job id from the instance's autoheal.io/bootstrap-job tag, or null
     */
    public static Step next(BootstrapRecord r, boolean ready, String taggedJob, BootstrapPolicy policy, Instant now) {
        if (r.phase() == Phase.Succeeded) {
            return Step.DONE;
        }
        if (r.phase() == Phase.Failed && r.attempts() >= policy.maxAttempts()) {
            return Step.GAVE_UP;
        }
        if (r.inFlight()) {
            return Step.POLL;
        }
        if (r.nextAttemptAt() != null && now.isBefore(r.nextAttemptAt())) {
            return Step.BACKOFF;
        }
        return ready ? Step.TRIGGER : Step.WAIT;
    }

    /**
     * Adopts a job that only the EC2 tag knows: the status write after its trigger was lost (a crash, a conflict).
     * The tag always names the newest job; the record names the last job it saw, so a different tag is a lost one.
     */
    public static BootstrapRecord adopt(BootstrapRecord r, String taggedJob, Instant now) {
        if (taggedJob == null || taggedJob.equals(r.jobId()) || r.phase() == Phase.Succeeded || r.inFlight()) {
            return r;
        }
        return new BootstrapRecord(taggedJob, Phase.Queued, r.attempts() + 1, now, now, null, r.lastFailure(), r.message());
    }

    public static BootstrapRecord onTriggered(BootstrapRecord r, String jobId, Instant now) {
        return new BootstrapRecord(jobId, Phase.Queued, r.attempts() + 1, now, now, null, r.lastFailure(), r.message());
    }

    public static BootstrapRecord onTriggerFailed(BootstrapRecord r, Failure failure, String message, BootstrapPolicy policy, Instant now) {
        return new BootstrapRecord(r.jobId(), r.phase() == Phase.Failed ? Phase.Failed : Phase.Pending, r.attempts(), r.since(), r.triggeredAt(),
                now.plus(policy.backoffAfter(Math.max(1, r.attempts()))), failure, message);
    }

    /** A poll's answer. Unknown answers keep the phase (the timeout bounds them); a job past its timeout fails. */
    public static BootstrapRecord onStatus(BootstrapRecord r, JobStatus status, BootstrapPolicy policy, Instant now) {
        // A runner saying "pending" about a triggered job means it is queued: the job exists.
        Phase phase = status.phase() == Phase.Pending ? Phase.Queued : status.phase();
        Instant started = r.triggeredAt() == null ? now : r.triggeredAt();
        if (phase == null || phase == Phase.Queued || phase == Phase.Running || phase == Phase.Pending) {
            if (!now.isBefore(started.plus(policy.timeout()))) {
                return failed(r, Failure.JobTimedOut, "no final answer within " + policy.timeout().toMinutes() + "m", policy, now);
            }
            if (phase == null) {
                return new BootstrapRecord(r.jobId(), r.phase(), r.attempts(), r.since(), r.triggeredAt(), null, status.failure(), status.message());
            }
            Instant since = phase == r.phase() ? r.since() : now;
            return new BootstrapRecord(r.jobId(), phase, r.attempts(), since, r.triggeredAt(), null, r.lastFailure(), r.message());
        }
        if (phase == Phase.Succeeded) {
            return new BootstrapRecord(r.jobId(), Phase.Succeeded, r.attempts(), now, r.triggeredAt(), null, null, null);
        }
        return failed(r, Failure.JobFailed, status.message() == null ? "the job failed" : status.message(), policy, now);
    }

    private static BootstrapRecord failed(BootstrapRecord r, Failure failure, String message, BootstrapPolicy policy, Instant now) {
        Instant retryAt = r.attempts() >= policy.maxAttempts() ? null : now.plus(policy.backoffAfter(r.attempts()));
        return new BootstrapRecord(r.jobId(), Phase.Failed, r.attempts(), now, r.triggeredAt(), retryAt, failure, message);
    }

    /** When this machine's bootstrap needs looking at again without new events. */
    public static Instant nextCheck(BootstrapRecord r, BootstrapPolicy policy, Instant now, java.time.Duration pollInterval) {
        if (r.phase() == Phase.Succeeded || r.phase() == Phase.Failed && r.attempts() >= policy.maxAttempts()) {
            return null;
        }
        if (r.nextAttemptAt() != null && r.nextAttemptAt().isAfter(now)) {
            return r.nextAttemptAt();
        }
        return now.plus(pollInterval);
    }
}
