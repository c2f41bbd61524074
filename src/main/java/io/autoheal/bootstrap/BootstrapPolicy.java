package io.autoheal.bootstrap;

import java.time.Duration;

/** spec.bootstrap, parsed, plus the operator's retry back-off. */
public record BootstrapPolicy(Duration timeout, int maxAttempts, Duration backoff, Duration backoffMax) {

    /** Exponential back-off after the n-th failure (1-based), capped. */
    public Duration backoffAfter(int failures) {
        long factor = 1L << Math.min(Math.max(failures - 1, 0), 16);
        Duration d = backoff.multipliedBy(factor);
        return d.compareTo(backoffMax) > 0 ? backoffMax : d;
    }
}
