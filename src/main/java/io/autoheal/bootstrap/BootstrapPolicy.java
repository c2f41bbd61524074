package io.autoheal.bootstrap;

import java.time.Duration;

/**
 * How bootstrap jobs are run for one cluster: spec.bootstrap plus the operator's retry and polling settings.
 *
 * @param timeout           how long one attempt may go from trigger to a final answer
 * @param maxAttempts       triggered jobs per machine before giving up
 * @param backoffBase       wait after the first failure; doubles per further failure
 * @param backoffMax        cap of that wait
 * @param gateLaunch        new machines wait in Pending:Wait until bootstrapped (CONTINUE / ABANDON at the end)
 * @param heartbeatInterval how often a gated machine's lifecycle hook is kept alive while its job runs
 * @param pollInterval      how often a job's status is asked for
 */
public record BootstrapPolicy(Duration timeout, int maxAttempts, Duration backoffBase, Duration backoffMax, boolean gateLaunch,
                              Duration heartbeatInterval, Duration pollInterval) {

    public BootstrapPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** Back-off after the n-th failure (1-based): base, 2 x base, 4 x base ... capped at backoffMax. */
    public Duration backoffAfter(int failures) {
        int doublings = Math.min(Math.max(failures - 1, 0), 20);
        Duration d = backoffBase.multipliedBy(1L << doublings);
        return d.compareTo(backoffMax) > 0 ? backoffMax : d;
    }
}
