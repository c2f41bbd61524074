package io.autoheal.cloud.aws;

import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Classifies AWS failures so that callers decide on retries and conditions from types, never from message text. */
public final class AwsErrors {
    static final String ENCODED_MESSAGE = "Encoded authorization failure message:";

    private AwsErrors() {
    }

    public static String outcomeOf(Throwable t) {
        if (RateBudgetExhausted.in(t)) {
            return "throttled"; // by the operator's own request budget: unsent, and handled like AWS throttling
        }
        if (t instanceof AwsServiceException e) {
            if (e.isThrottlingException()) {
                return "throttled";
            }
            return e.statusCode() >= 500 ? "server_error" : "client_error";
        }
        return t instanceof SdkClientException ? "unreachable" : "error";
    }

    public static String errorCode(Throwable t) {
        if (t instanceof AwsServiceException e && e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null) {
            return e.awsErrorDetails().errorCode();
        }
        return "";
    }

    /** A 4xx answer caused by the input (bad subnet, missing launch template): retrying hot will not help. */
    public static boolean isBadInput(Throwable t) {
        return t instanceof AwsServiceException e && !e.isThrottlingException() && e.statusCode() >= 400 && e.statusCode() < 500;
    }

    /**
     * Short message safe for status and Events: error code and AWS' own message, no request ids or credentials.
     * Wrappers (JOSDK's OperatorException, CompletionException, ...) are looked through to the AWS error inside.
     */
    public static String describe(Throwable t) {
        Throwable cause = awsCause(t);
        if (cause instanceof AwsServiceException e && e.awsErrorDetails() != null) {
            return describeAnswer(e.awsErrorDetails().errorCode(), e.awsErrorDetails().errorMessage(), FailedOperations.of(t).orElse(null));
        }
        String msg = cause.getMessage();
        return cause.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    /** An AWS error answer's short message: its code and AWS' own message; for an IAM refusal, what on-call needs. */
    static String describeAnswer(String code, String msg, String operation) {
        if (code != null && AwsErrorReasons.ACCESS_DENIED.contains(code)) {
            return accessDenied(code, msg, operation);
        }
        return (code == null || code.isEmpty() ? "AwsError" : code) + (msg == null ? "" : ": " + msg);
    }

    /** The API operation a failed call was (e.g. "CreateAutoScalingGroup"), when the clients' interceptor marked it. */
    public static Optional<String> operation(Throwable t) {
        return FailedOperations.of(t);
    }

    /**
     * What on-call needs from an IAM refusal: which action, and where the policy is. EC2's encoded authorization
     * failure message (a long blob for {@code aws sts decode-authorization-message}) stays in the log, not in status.
     */
    static String accessDenied(String code, String awsMessage, String operation) {
        String said = awsMessage == null ? "" : awsMessage;
        int encoded = said.indexOf(ENCODED_MESSAGE);
        if (encoded >= 0) {
            said = said.substring(0, encoded).trim() + " (the encoded authorization failure message is in the operator's log:"
                    + " decode it with aws sts decode-authorization-message)";
        }
        return code + ": AWS denied " + (operation == null ? "an API call" : operation)
                + " to the operator's IAM identity: grant it (the operator's policy is " + AwsErrorReasons.IAM_POLICY + ")"
                + (said.isEmpty() ? "" : ". AWS said: " + said);
    }

    /** The first AWS SDK exception in the cause chain; else the exception inside the generic wrappers. */
    static Throwable awsCause(Throwable t) {
        Throwable current = t;
        for (int depth = 0; current != null && depth < 10; depth++) {
            if (current instanceof software.amazon.awssdk.core.exception.SdkException) {
                return current;
            }
            current = current.getCause();
        }
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
