package io.autoheal.bootstrap;

/**
 * The outcome of asking for a job (a value, never an exception). Three kinds, because they bind the attempt count
 * differently (see {@link BootstrapStateMachine#onTrigger}):
 * <ul>
 * <li>{@link Kind#STARTED}: the bootstrapper named the job;
 * <li>{@link Kind#NOT_STARTED}: the request never went out (connection refused, TLS, connect timeout) or the
 *     bootstrapper refused it (any non-2xx): no job exists, so no attempt is used;
 * <li>{@link Kind#SENT_ANSWER_LOST}: the request went out but its answer was lost (a timeout or a reset after the
 *     body was sent, a 2xx whose body names no job): a job may have started that nobody can follow, so it uses an
 *     attempt and the next trigger waits the retry back-off instead of posting again at once.
 * </ul>
 *
 * @param jobId   STARTED: the job; null otherwise (a lost answer names no job, so nothing is tagged or followed)
 * @param message short detail, safe to show in status (never a secret); null when STARTED
 */
public record TriggerResult(Kind kind, String jobId, BootstrapFailure failure, String message) {

    public enum Kind { STARTED, NOT_STARTED, SENT_ANSWER_LOST }

    public static TriggerResult started(String jobId) {
        return new TriggerResult(Kind.STARTED, jobId, null, null);
    }

    /** No job was started: the request never went out, or the bootstrapper refused it. */
    public static TriggerResult failed(BootstrapFailure failure, String message) {
        return new TriggerResult(Kind.NOT_STARTED, null, failure, message);
    }

    /** The request went out and its answer was lost: a job may exist. */
    public static TriggerResult answerLost(BootstrapFailure failure, String message) {
        return new TriggerResult(Kind.SENT_ANSWER_LOST, null, failure, message);
    }

    public boolean ok() {
        return kind == Kind.STARTED;
    }
}
