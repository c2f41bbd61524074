package io.autoheal.eip;

import java.time.Duration;

/**
 * Pure: when a pool is looked at again after a pass. Soon after a pass that changed something (to verify and to
 * continue) or that AWS refused because an address was taken meanwhile (re-observe and re-plan); at the resync
 * interval when nothing was to do, or when every action failed otherwise — a permanent failure
 * (missing permission, an instance AWS will not take an address on) must not turn into a 2-second loop of AWS
 * calls sharing the account's rate limit with the cluster reconciler.
 */
final class PoolRequeue {
    static final Duration SOON = Duration.ofSeconds(2);

    private PoolRequeue() {
    }

    static Duration after(int actionsPlanned, PoolActuator.Result result, Duration resync) {
        if (actionsPlanned == 0) {
            return resync;
        }
        return result.done() > 0 || result.refused() > 0 ? SOON : resync;
    }
}
