package io.autoheal.fleet;

import io.autoheal.kube.Reason;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * What a failure means to a reconciler, for any exception it caught: the {@link CloudFailure} inside it (looked for
 * through wrappers such as JOSDK's OperatorException) says; anything else is a transient {@link Reason#AwsError}.
 */
@ApplicationScoped
public class CloudErrors {
    /** The condition reason of a failure (looked for through wrappers); AwsError for anything transient. */
    public Reason reason(Throwable t) {
        if (fenced(t)) {
            return Reason.Fenced; // nothing was sent: this replica could not prove it still holds the Lease
        }
        return CloudFailure.in(t).map(CloudFailure::reason).orElse(Reason.AwsError);
    }

    /** A 4xx answer caused by the input (bad subnet, missing launch template): retrying hot will not help. */
    public boolean isBadInput(Throwable t) {
        return t instanceof CloudFailure f && f.isBadInput();
    }

    /** Short message safe for status and Events: error code and the cloud's own message, no request ids or secrets. */
    public String describe(Throwable t) {
        Optional<CloudFailure> failure = CloudFailure.in(t);
        if (failure.isPresent()) {
            return failure.get().describe();
        }
        Throwable cause = unwrapped(t);
        String msg = cause.getMessage();
        return cause.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    /** The API operation that failed (e.g. "CreateAutoScalingGroup"), when known. */
    public Optional<String> operation(Throwable t) {
        return CloudFailure.in(t).flatMap(CloudFailure::operation);
    }

    /** The cloud's error code, "" when there is none. */
    public String errorCode(Throwable t) {
        return t instanceof CloudFailure f ? f.errorCode() : "";
    }

    /** The cloud's full message (for the log only: it may carry an encoded authorization message). */
    public String detail(Throwable t) {
        return t instanceof CloudFailure f ? f.detail() : t.getMessage();
    }

    /** A person must act (IAM, spec, template): report and retry slowly instead of a back-off loop. */
    public static boolean needsAPerson(Reason reason) {
        return reason != Reason.AwsError && reason != Reason.Fenced; // a fenced replica waits for the Lease, not for a person
    }

    private static boolean fenced(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof FencedWrite) {
                return true;
            }
        }
        return false;
    }

    /** The exception inside the generic wrappers (JOSDK's OperatorException, CompletionException, ...). */
    private static Throwable unwrapped(Throwable t) {
        Throwable unwrapped = t;
        while (unwrapped.getCause() != null && unwrapped.getCause() != unwrapped
                && (unwrapped instanceof io.javaoperatorsdk.operator.OperatorException
                || unwrapped instanceof java.util.concurrent.CompletionException
                || unwrapped instanceof java.util.concurrent.ExecutionException)) {
            unwrapped = unwrapped.getCause();
        }
        return unwrapped;
    }
}
