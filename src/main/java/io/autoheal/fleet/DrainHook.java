package io.autoheal.fleet;

import java.time.Duration;

/**
 * The operator's terminating lifecycle hook (spec.drain): every termination waits in Terminating:Wait until the
 * machine's drain ends. Its DefaultResult is CONTINUE: a machine the operator forgets still leaves.
 */
public final class DrainHook {
    public static final String HOOK_NAME = "autoheal-drain";
    /** AWS' maximum: the operator bounds each drain by spec.drain.timeout itself and sends heartbeats past this. */
    public static final Duration HEARTBEAT_TIMEOUT = LaunchGate.HEARTBEAT_TIMEOUT;
    public static final String DEFAULT_RESULT = "CONTINUE";

    private DrainHook() {
    }
}
