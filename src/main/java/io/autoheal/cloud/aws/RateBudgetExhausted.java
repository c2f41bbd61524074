package io.autoheal.cloud.aws;

import java.time.Duration;

/**
 * The operator's own AWS request budget had no token for an attempt within its bounded wait: the attempt was never
 * sent. It reaches callers as the cause of an SdkClientException (the SDK rebuilds its exceptions, so a cause survives
 * where a subclass would not) and is classified like AWS throttling ({@link AwsErrors#outcomeOf}: "throttled").
 */
public final class RateBudgetExhausted extends RuntimeException {
    private final long waitedNanos;

    RateBudgetExhausted(String region, String category, long waitedNanos, long maxWaitNanos) {
        super("no AWS request budget for a " + category + " in " + region + " within " + Duration.ofNanos(maxWaitNanos)
                + " (the operator's own rate limit, autoheal.aws.rate-limit.*, not AWS throttling)", null, false, false);
        this.waitedNanos = waitedNanos;
    }

    long waitedNanos() {
        return waitedNanos;
    }

    /** Whether t, or an exception it wraps, is a refusal of the budget. */
    public static boolean in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof RateBudgetExhausted) {
                return true;
            }
        }
        return false;
    }
}
