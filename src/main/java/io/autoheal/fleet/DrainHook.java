package io.autoheal.fleet;

/**
 * The operator's terminating lifecycle hook (spec.drain): every termination waits in Terminating:Wait until the
 * machine's drain ends. Its DefaultResult is CONTINUE: a machine the operator forgets still leaves.
 */
public final class DrainHook {
    public static final String HOOK_NAME = "autoheal-drain";

    private DrainHook() {
    }
}
