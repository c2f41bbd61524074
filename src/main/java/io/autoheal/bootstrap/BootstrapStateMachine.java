package io.autoheal.bootstrap;

import static io.autoheal.bootstrap.BootstrapPhase.Failed;
import static io.autoheal.bootstrap.BootstrapPhase.Queued;
import static io.autoheal.bootstrap.BootstrapPhase.Succeeded;

import java.time.Instant;

/**
 * Pure transitions of one machine's {@link BootstrapRecord}: what the record becomes after something happened.
 * Attempts count triggers that reached the bootstrapper; a failed or timed-out job is an attempt used up, and the
 * next one waits an exponential back-off. A trigger that started no job (never sent, or refused: non-2xx) waits
 * the back-off too but uses no attempt (a bootstrapper outage is not the machine's fault; the startup timeout of
 * health bounds it). A trigger sent whose answer was lost may have started a job: the attempt is counted and stays
 * open, sent again with the same idempotency key until it names a job or the attempt's timeout ends it.
 */
public final class BootstrapStateMachine {
    private BootstrapStateMachine() {
    }

    /** The bootstrapper accepted a trigger and named the job (after a lost answer: the open attempt's job). */
    public static BootstrapRecord onTriggered(BootstrapRecord r, String jobId, Instant now) {
        boolean open = r.awaitingAnswer();
        return new BootstrapRecord(jobId, Queued, open ? r.attempts() : r.attempts() + 1, now, open ? r.triggeredAt() : now, null,
                r.lastFailure(), r.message(), r.lastHeartbeat());
    }

    /** What a trigger's outcome makes of the record (see {@link TriggerResult.Kind}). */
    public static BootstrapRecord onTrigger(BootstrapRecord r, TriggerResult t, BootstrapPolicy policy, Instant now) {
        return switch (t.kind()) {
            case STARTED -> onTriggered(r, t.jobId(), now);
            case NOT_STARTED -> onTriggerFailed(r, t.failure(), t.message(), policy, now);
            case SENT_ANSWER_LOST -> onTriggerAnswerLost(r, t.failure(), t.message(), policy, now);
        };
    }

    /**
     * The trigger went out and its answer was lost (a timeout or reset after the body was sent, a 2xx naming no job):
     * the attempt is counted and stays open ({@link BootstrapRecord#awaitingAnswer}); its trigger is sent again with
     * the same idempotency key after the back-off base, until the attempt's timeout from the first send. Never
     * skipped, never faked: only {@link #expireUnanswered} ends it. The record keeps the last job id it knew (the
     * instance's tag still names that job, so it is not adopted again).
     */
    public static BootstrapRecord onTriggerAnswerLost(BootstrapRecord r, BootstrapFailure failure, String message, BootstrapPolicy policy,
                                                      Instant now) {
        if (r.inFlight() || r.phase() == Succeeded) {
            return r;
        }
        boolean open = r.awaitingAnswer();
        BootstrapRecord sent = new BootstrapRecord(r.jobId(), BootstrapPhase.Pending, open ? r.attempts() : r.attempts() + 1, r.since(),
                open ? r.triggeredAt() : now, now.plus(policy.backoffBase()), failure, message, r.lastHeartbeat());
        return expireUnanswered(sent, policy, now);
    }

    /** An open attempt whose trigger never named a job within the attempt's timeout: a failed attempt. */
    public static BootstrapRecord expireUnanswered(BootstrapRecord r, BootstrapPolicy policy, Instant now) {
        if (!r.awaitingAnswer() || r.triggeredAt() == null || now.isBefore(r.triggeredAt().plus(policy.timeout()))) {
            return r;
        }
        return failedAttempt(r, BootstrapFailure.JobTimedOut, "attempt " + r.attempts() + ": no answer naming a job within "
                + policy.timeout() + (r.message() == null ? "" : " (last: " + r.message() + ")"), policy, now);
    }

    /** The trigger started no job (never sent, or refused with a non-2xx answer): try again after the back-off. */
    public static BootstrapRecord onTriggerFailed(BootstrapRecord r, BootstrapFailure failure, String message, BootstrapPolicy policy,
                                                  Instant now) {
        if (r.inFlight() || r.phase() == Succeeded) {
            return r;
        }
        Instant retryAt = now.plus(policy.backoffAfter(Math.max(1, r.attempts())));
        return new BootstrapRecord(r.jobId(), r.phase(), r.attempts(), r.since(), r.triggeredAt(), retryAt, failure, message,
                r.lastHeartbeat());
    }

    /** A status answer for the job in flight. Answers for anything else are stale and change nothing. */
    public static BootstrapRecord onPoll(BootstrapRecord r, JobStatus status, BootstrapPolicy policy, Instant now) {
        if (!r.inFlight()) {
            return r;
        }
        if (status.phase() == Succeeded) {
            return new BootstrapRecord(r.jobId(), Succeeded, r.attempts(), now, r.triggeredAt(), null, r.lastFailure(), null,
                    r.lastHeartbeat());
        }
        if (status.phase() == Failed) {
            return failedAttempt(r, BootstrapFailure.JobFailed, status.message() == null ? "the job failed" : status.message(), policy, now);
        }
        if (timedOut(r, policy, now)) {
            return onTimeout(r, policy, now);
        }
        if (!status.known()) {
            // Could not ask: keep the phase, remember why; the attempt timeout bounds how long this may last.
            return new BootstrapRecord(r.jobId(), r.phase(), r.attempts(), r.since(), r.triggeredAt(), null, status.failure(),
                    status.message(), r.lastHeartbeat());
        }
        BootstrapPhase phase = status.phase() == BootstrapPhase.Pending ? Queued : status.phase();
        Instant since = phase == r.phase() ? r.since() : now;
        return new BootstrapRecord(r.jobId(), phase, r.attempts(), since, r.triggeredAt(), null, r.lastFailure(), r.message(),
                r.lastHeartbeat());
    }

    /** The job in flight had no final answer within the policy's timeout: a failed attempt. */
    public static BootstrapRecord onTimeout(BootstrapRecord r, BootstrapPolicy policy, Instant now) {
        if (!r.inFlight()) {
            return r;
        }
        return failedAttempt(r, BootstrapFailure.JobTimedOut, "job " + r.jobId() + " had no final answer within " + policy.timeout(),
                policy, now);
    }

    public static boolean timedOut(BootstrapRecord r, BootstrapPolicy policy, Instant now) {
        return r.inFlight() && r.triggeredAt() != null && !now.isBefore(r.triggeredAt().plus(policy.timeout()));
    }

    /** A heartbeat was sent to the launch lifecycle hook. */
    public static BootstrapRecord onHeartbeat(BootstrapRecord r, Instant now) {
        return new BootstrapRecord(r.jobId(), r.phase(), r.attempts(), r.since(), r.triggeredAt(), r.nextAttemptAt(), r.lastFailure(),
                r.message(), now);
    }

    /**
     * Reconciles the record with the job id on the instance's tag. The tag is written right after every accepted
     * trigger, before the status, so a tag naming a job the record has never seen means the status write was lost
     * (a crash, a conflict): that job is adopted as the attempt in flight, never triggered again. The tag is
     * ignored once the record has succeeded, follows a job, or has no attempt left (then the tag is a stale one).
     */
    public static BootstrapRecord adoptTaggedJob(BootstrapRecord r, String taggedJobId, BootstrapPolicy policy, Instant now) {
        if (taggedJobId == null || taggedJobId.isBlank() || taggedJobId.equals(r.jobId()) || r.phase() == Succeeded || r.inFlight()) {
            return r;
        }
        if (r.awaitingAnswer()) {
            return onTriggered(r, taggedJobId, now); // the open attempt's job: its answer reached the tag, not the status
        }
        if (r.attempts() >= policy.maxAttempts()) {
            return r;
        }
        // The trigger time is unknown; counting from now can only lengthen the attempt by the lost pass.
        return new BootstrapRecord(taggedJobId, Queued, r.attempts() + 1, now, now, null, r.lastFailure(), r.message(), r.lastHeartbeat());
    }

    private static BootstrapRecord failedAttempt(BootstrapRecord r, BootstrapFailure failure, String message, BootstrapPolicy policy,
                                                 Instant now) {
        Instant retryAt = r.attempts() >= policy.maxAttempts() ? null : now.plus(policy.backoffAfter(r.attempts()));
        return new BootstrapRecord(r.jobId(), Failed, r.attempts(), now, r.triggeredAt(), retryAt, failure, message, r.lastHeartbeat());
    }
}
