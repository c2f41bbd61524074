package io.autoheal.fleet;

import java.time.Duration;

/** The operator's launch lifecycle hook: machines wait in Pending:Wait until their bootstrap says CONTINUE or ABANDON. */
public final class LaunchGate {
    public static final String HOOK_NAME = "autoheal-bootstrap";
    /** AWS' maximum: the operator bounds each job by spec.bootstrap.timeout itself and then answers the hook. */
    public static final Duration HEARTBEAT_TIMEOUT = Duration.ofHours(2);

    private LaunchGate() {
    }
}
