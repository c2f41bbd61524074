package io.autoheal.bootstrap;

import java.time.Instant;

/**
 * A machine's bootstrap as remembered between passes: status.instances[].bootstrap, with the job id also on the
 * instance's EC2 tag autoheal.io/bootstrap-job. Immutable; {@link BootstrapStateMachine} gives the next one.
 *
 * @param jobId         the current or last job (null before the first accepted trigger)
 * @param attempts      jobs triggered so far (a trigger the bootstrapper did not accept is not an attempt)
 * @param since         when the current phase began
 * @param triggeredAt   when the current or last job was triggered
 * @param nextAttemptAt earliest time of the next trigger after a failure (null: no wait)
 * @param lastFailure   why the last trigger, status check or job went wrong (null: nothing went wrong yet)
 * @param message       short detail of lastFailure, safe to show in status (never a secret)
 * @param lastHeartbeat last heartbeat sent to the launch lifecycle hook
 */
public record BootstrapRecord(String jobId, BootstrapPhase phase, int attempts, Instant since, Instant triggeredAt, Instant nextAttemptAt,
                              BootstrapFailure lastFailure, String message, Instant lastHeartbeat) {

    /** A machine nothing has been done for yet. */
    public static BootstrapRecord fresh(Instant now) {
        return new BootstrapRecord(null, BootstrapPhase.Pending, 0, now, null, null, null, null, null);
    }

    /** A triggered job without a final answer: the only state in which the machine's job is polled. */
    public boolean inFlight() {
        return jobId != null && phase.inFlight();
    }

    /**
     * A trigger went out and its answer was lost (a timeout or reset after sending, a 2xx naming no job): the attempt
     * is counted and open, and its trigger is sent again with the same idempotency key until it names a job or the
     * attempt's timeout (from {@link #triggeredAt}, the first send) ends it. The previous job id is kept.
     */
    public boolean awaitingAnswer() {
        return phase == BootstrapPhase.Pending && attempts > 0;
    }

    /** The attempt the next trigger is: the open one while its answer is awaited, else the next. */
    public int nextTriggerAttempt() {
        return awaitingAnswer() ? attempts : attempts + 1;
    }

    /** The last job failed and no attempt is left: the machine is Unhealthy(BootstrapFailed) for good. */
    public boolean gaveUp(int maxAttempts) {
        return phase == BootstrapPhase.Failed && attempts >= maxAttempts;
    }
}
