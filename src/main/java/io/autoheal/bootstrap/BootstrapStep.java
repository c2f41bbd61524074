package io.autoheal.bootstrap;

import java.time.Instant;

/**
 * What to do for one machine now. Only the fields of its kind are set.
 *
 * @param attempt      TRIGGER: the attempt number the new job will be (1-based)
 * @param jobId        POLL, HEARTBEAT: the job in flight
 * @param until        RETRY_LATER: the earliest time of the next trigger
 * @param launchAction COMPLETE, GIVE_UP: the answer to send to the launch lifecycle hook, or null for none
 */
public record BootstrapStep(Kind kind, int attempt, String jobId, Instant until, LaunchAction launchAction) {

    public enum Kind {
        /** Not ready for a job: not running, no private IP or no Elastic IP yet. */
        WAIT,
        /** Start a job (attempt n). */
        TRIGGER,
        /** Ask how the job in flight is doing. */
        POLL,
        /** Keep the gated machine's lifecycle hook alive (its job runs long); then poll as usual. */
        HEARTBEAT,
        /** The last attempt failed; wait until {@code until} before the next trigger. */
        RETRY_LATER,
        /** Final failure: the machine is Unhealthy(BootstrapFailed); with the launch gate, ABANDON. */
        GIVE_UP,
        /** Succeeded and the machine is held by the launch gate: CONTINUE. */
        COMPLETE,
        /** Done, nothing to do. */
        NOTHING
    }

    /** Answer to the ASG launch lifecycle hook. */
    public enum LaunchAction { CONTINUE, ABANDON }

    public static BootstrapStep waitForMachine() {
        return new BootstrapStep(Kind.WAIT, 0, null, null, null);
    }

    public static BootstrapStep trigger(int attempt) {
        return new BootstrapStep(Kind.TRIGGER, attempt, null, null, null);
    }

    public static BootstrapStep poll(String jobId) {
        return new BootstrapStep(Kind.POLL, 0, jobId, null, null);
    }

    public static BootstrapStep heartbeat(String jobId) {
        return new BootstrapStep(Kind.HEARTBEAT, 0, jobId, null, null);
    }

    public static BootstrapStep retryLater(Instant until) {
        return new BootstrapStep(Kind.RETRY_LATER, 0, null, until, null);
    }

    public static BootstrapStep giveUp(boolean abandonLaunch) {
        return new BootstrapStep(Kind.GIVE_UP, 0, null, null, abandonLaunch ? LaunchAction.ABANDON : null);
    }

    public static BootstrapStep complete() {
        return new BootstrapStep(Kind.COMPLETE, 0, null, null, LaunchAction.CONTINUE);
    }

    public static BootstrapStep nothing() {
        return new BootstrapStep(Kind.NOTHING, 0, null, null, null);
    }
}
