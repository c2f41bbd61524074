package io.autoheal.cloud.aws;

import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * One log line per failed AWS call (after the SDK's retries) with what AWS support asks for: the operation, the error
 * code and the request id. It runs on the calling thread, so a reconcile's line carries the resource in the MDC
 * (resource.namespace, resource.name). Throttling and 5xx are warnings; other refusals (often expected, e.g. a name
 * already taken on a repeated create) are info. Request parameters are never logged.
 */
public final class FailedCallLog implements ExecutionInterceptor {
    static final FailedCallLog INSTANCE = new FailedCallLog();
    private static final Logger LOG = Logger.getLogger(FailedCallLog.class);

    private FailedCallLog() {
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        Throwable failure = context.exception();
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (failure instanceof AwsServiceException e && (e.isThrottlingException() || e.statusCode() >= 500)) {
            LOG.warn(line(operation, failure));
        } else if (failure instanceof AwsServiceException) {
            LOG.info(line(operation, failure));
        } else {
            LOG.warn(line(operation, failure));
        }
    }

    /** "AWS CreateAutoScalingGroup failed: ValidationError: msg (HTTP 400, request id abc)"; no request id without an answer. */
    static String line(String operation, Throwable failure) {
        String what = "AWS " + (operation == null ? "call" : operation) + " failed: " + AwsErrors.describe(failure);
        if (failure instanceof AwsServiceException e) {
            return what + " (HTTP " + e.statusCode() + ", request id " + e.requestId() + ")";
        }
        return what;
    }
}
