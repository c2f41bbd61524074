package io.autoheal.cloud.aws;

import java.util.Optional;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Marks a failed call's exception with the API operation that failed (e.g. "CreateAutoScalingGroup"): the SDK's
 * exceptions do not say, and on-call needs the action to fix an IAM policy. The mark is a suppressed exception, so
 * the exception keeps its type (callers catch AlreadyExistsException, AwsServiceException, ...) and logs show it.
 */
public final class FailedOperations implements ExecutionInterceptor {
    static final FailedOperations INSTANCE = new FailedOperations();

    /** The mark: no stack trace, only the operation name as its message. */
    static final class FailedOperation extends RuntimeException {
        FailedOperation(String operation) {
            super(operation, null, false, false);
        }
    }

    private FailedOperations() {
    }

    @Override
    public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes attributes) {
        Throwable failure = context.exception();
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (operation != null && of(failure).isEmpty()) {
            failure.addSuppressed(new FailedOperation(operation));
        }
        return failure;
    }

    /** The operation a failed AWS call was, if the exception (or one it wraps) carries our mark. */
    public static Optional<String> of(Throwable t) {
        for (Throwable current = t; current != null; current = current.getCause() == current ? null : current.getCause()) {
            for (Throwable s : current.getSuppressed()) {
                if (s instanceof FailedOperation f) {
                    return Optional.of(f.getMessage());
                }
            }
        }
        return Optional.empty();
    }
}
