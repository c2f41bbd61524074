package io.autoheal.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Failures an {@link InMemoryFleet} call answers with, as AWS would (an SDK service exception with AWS' error code and
 * HTTP status), so the operator's real classifier decides what they mean.
 */
public final class FleetFaults {
    private final Map<String, Deque<AwsServiceException>> pending = new HashMap<>();

    /** The next {@code times} calls of this operation (e.g. "AssociateAddress") fail with this error. */
    public synchronized FleetFaults fail(String operation, String code, int status, int times) {
        for (int i = 0; i < times; i++) {
            pending.computeIfAbsent(operation, k -> new ArrayDeque<>()).add(error(code, status, "injected fault of " + operation));
        }
        return this;
    }

    public synchronized void clear() {
        pending.clear();
    }

    synchronized void check(String operation) {
        Deque<AwsServiceException> queue = pending.get(operation);
        if (queue != null && !queue.isEmpty()) {
            throw queue.poll();
        }
    }

    static AwsServiceException error(String code, int status, String message) {
        return AwsServiceException.builder().statusCode(status).message(code + ": " + message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("in-memory").build()).build();
    }
}
