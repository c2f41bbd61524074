package io.autoheal.fleet;

import io.autoheal.kube.Reason;
import java.util.Optional;

/**
 * Port: how a failed cloud call is classified, from its error code and status alone (never from message text). The
 * adapters throw the cloud SDK's own exceptions; the reconcilers ask this classifier what they mean.
 */
public interface CloudErrors {
    /** The condition reason of a failure (looked for through wrappers); AwsError for anything transient. */
    Reason reason(Throwable t);

    /** A 4xx answer caused by the input (bad subnet, missing launch template): retrying hot will not help. */
    boolean isBadInput(Throwable t);

    /** Short message safe for status and Events: error code and the cloud's own message, no request ids or secrets. */
    String describe(Throwable t);

    /** The API operation that failed (e.g. "CreateAutoScalingGroup"), when known. */
    Optional<String> operation(Throwable t);

    /** The cloud's error code, "" when there is none. */
    String errorCode(Throwable t);

    /** The cloud's full message (for the log only: it may carry an encoded authorization message). */
    String detail(Throwable t);

    /** A person must act (IAM, spec, template): report and retry slowly instead of a back-off loop. */
    static boolean needsAPerson(Reason reason) {
        return reason != Reason.AwsError;
    }
}
