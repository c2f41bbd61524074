package io.autoheal.cloud.aws;

import io.autoheal.fleet.CloudFailure;
import io.autoheal.kube.Reason;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The port boundary for failures: every adapter method that implements a port runs its AWS calls through
 * {@link #call}/{@link #run}, so an SDK exception leaves it only as a {@link CloudFailure}, classified here once
 * ({@link AwsErrors}, {@link AwsErrorReasons}: from AWS' error code and HTTP status, never from message text).
 */
public final class AwsFailures {
    private AwsFailures() {
    }

    /** One port call returning a value; an AWS failure becomes a {@link CloudFailure}. */
    public static <T> T call(Supplier<T> body) {
        try {
            return body.get();
        } catch (SdkException e) {
            throw of(e);
        }
    }

    /** One port call; an AWS failure becomes a {@link CloudFailure}. */
    public static void run(Runnable body) {
        try {
            body.run();
        } catch (SdkException e) {
            throw of(e);
        }
    }

    /** The translation of an SDK failure (the operation from {@link FailedOperations}' mark, when the clients set it). */
    public static CloudFailure of(SdkException e) {
        String operation = FailedOperations.of(e).orElse(null);
        var tenantRole = TenantCredentials.TenantRoleRefused.in(e);
        if (tenantRole.isPresent()) {
            return tenantRoleRefused(tenantRole.get(), operation);
        }
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            String code = s.awsErrorDetails().errorCode();
            String message = s.awsErrorDetails().errorMessage();
            return answer(operation, code, s.statusCode(), s.isThrottlingException(), message, s.requestId(), e);
        }
        CloudFailure.Kind kind;
        if (RateBudgetExhausted.in(e) || e instanceof AwsServiceException s && s.isThrottlingException()) {
            kind = CloudFailure.Kind.THROTTLED; // the operator's own budget: unsent, handled like AWS throttling
        } else if (e instanceof AwsServiceException) {
            kind = CloudFailure.Kind.SERVER_ERROR; // an answer without AWS' error details
        } else {
            kind = CloudFailure.Kind.UNREACHABLE;
        }
        int status = e instanceof AwsServiceException s ? s.statusCode() : 0;
        String requestId = e instanceof AwsServiceException s ? s.requestId() : null;
        return new CloudFailure(kind, AwsErrorReasons.reason(e), operation, AwsErrors.errorCode(e), status, requestId,
                AwsErrors.describe(e), e.getMessage(), e);
    }

    /**
     * The tenant's role could not be assumed: the namespace's administrator must act (trust policy, external id,
     * sts:TagSession), so it is never a transient region failure that would hold back other tenants.
     */
    private static CloudFailure tenantRoleRefused(TenantCredentials.TenantRoleRefused e, String operation) {
        SdkException sts = e.stsFailure();
        int status = sts instanceof AwsServiceException s ? s.statusCode() : 0;
        String requestId = sts instanceof AwsServiceException s ? s.requestId() : null;
        CloudFailure.Kind kind = status >= 400 && status < 500 ? CloudFailure.Kind.REFUSED : CloudFailure.Kind.UNREACHABLE;
        return new CloudFailure(kind, Reason.TenantRoleNotAssumed, operation == null ? "AssumeRole" : operation, AwsErrors.errorCode(sts),
                status, requestId, e.getMessage(), sts.getMessage(), e);
    }

    /**
     * An AWS error answer, as AWS gives it (the in-memory fleet of the fast tests answers through this too, so both
     * tiers classify alike).
     *
     * @param operation the API operation (e.g. "AssociateAddress"), null when unknown
     */
    public static CloudFailure answer(String operation, String code, int status, String message) {
        boolean throttled = AwsErrorReasons.THROTTLING.contains(code) || status == 429;
        return answer(operation, code, status, throttled, message, null, null);
    }

    private static CloudFailure answer(String operation, String code, int status, boolean throttled, String message,
                                       String requestId, Throwable cause) {
        CloudFailure.Kind kind = throttled ? CloudFailure.Kind.THROTTLED
                : status >= 400 && status < 500 ? CloudFailure.Kind.REFUSED : CloudFailure.Kind.SERVER_ERROR;
        Reason reason = throttled ? Reason.AwsError : AwsErrorReasons.reason(code, status);
        return new CloudFailure(kind, reason, operation, code, status, requestId, AwsErrors.describeAnswer(code, message, operation),
                message, cause);
    }
}
