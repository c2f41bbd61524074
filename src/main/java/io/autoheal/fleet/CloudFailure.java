package io.autoheal.fleet;

import io.autoheal.kube.Reason;
import java.util.Optional;

/**
 * A failed cloud call, as every port's adapter reports it: nothing above the ports sees the cloud SDK's own exceptions.
 * The adapter classifies the failure once, from the cloud's error code and HTTP status alone (never from message text).
 * Its message is {@link #describe()}: safe for status and Events.
 */
public final class CloudFailure extends RuntimeException {

    /** What kind of answer the call got. */
    public enum Kind {
        /** A 4xx answer caused by the input (bad subnet, missing template, IAM): retrying hot will not help. */
        REFUSED,
        /** Throttled by the cloud, or by the operator's own request budget (then never sent). */
        THROTTLED,
        /** A 5xx answer. */
        SERVER_ERROR,
        /** No answer at all (connection, timeout). */
        UNREACHABLE
    }

    private final Kind kind;
    private final Reason reason;
    private final String operation;
    private final String errorCode;
    private final int status;
    private final String requestId;
    private final String detail;

    /**
     * @param reason    the condition reason: {@link Reason#AwsError} for anything transient
     * @param operation the API operation that failed (e.g. "CreateAutoScalingGroup"), null when unknown
     * @param errorCode the cloud's error code, "" when there is none
     * @param status    the HTTP status, 0 without an answer
     * @param requestId the cloud's request id (for the log and support), null without an answer
     * @param describe  short message safe for status and Events: no request ids, secrets or encoded blobs
     * @param detail    the cloud's full message (for the log only: it may carry an encoded authorization message)
     * @param cause     the cloud SDK's exception, for the log's stack trace only
     */
    public CloudFailure(Kind kind, Reason reason, String operation, String errorCode, int status, String requestId,
                        String describe, String detail, Throwable cause) {
        super(describe, cause);
        this.kind = kind;
        this.reason = reason;
        this.operation = operation;
        this.errorCode = errorCode == null ? "" : errorCode;
        this.status = status;
        this.requestId = requestId;
        this.detail = detail;
    }

    public Kind kind() {
        return kind;
    }

    public Reason reason() {
        return reason;
    }

    public Optional<String> operation() {
        return Optional.ofNullable(operation);
    }

    /** The cloud's error code, "" when there is none. */
    public String errorCode() {
        return errorCode;
    }

    /** The HTTP status, 0 without an answer. */
    public int status() {
        return status;
    }

    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** Short message safe for status and Events (the exception's message). */
    public String describe() {
        return getMessage();
    }

    /** The cloud's full message, for the log only. */
    public String detail() {
        return detail == null ? getMessage() : detail;
    }

    /** A 4xx answer caused by the input: retrying hot will not help. */
    public boolean isBadInput() {
        return kind == Kind.REFUSED;
    }

    /** A person must act (IAM, spec, template): report and retry slowly instead of a back-off loop. */
    public boolean needsAPerson() {
        return CloudErrors.needsAPerson(reason);
    }

    /** Throttling, 5xx, no answer: the same call may succeed later by itself. */
    public boolean retryable() {
        return !needsAPerson();
    }

    /** The failure inside t (t itself or one it wraps), if t is or wraps one. */
    public static Optional<CloudFailure> in(Throwable t) {
        Throwable current = t;
        for (int depth = 0; current != null && depth < 10; depth++) {
            if (current instanceof CloudFailure f) {
                return Optional.of(f);
            }
            current = current.getCause() == current ? null : current.getCause();
        }
        return Optional.empty();
    }
}
