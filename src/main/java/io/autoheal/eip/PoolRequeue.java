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
    /**
     * Right after a pass that freed a dying machine's address its replacement waits for (AllocationPlan.awaitingRelease):
     * the address is free once DisassociateAddress answered, and only the next pass gives it — nothing else wakes the
     * pool then (the replacement is already in its cluster's status), so waiting {@link #SOON} made every heal with an
     * address 2 s slower.
     */
    static final Duration RIGHT_AFTER = Duration.ofMillis(200);

    private PoolRequeue() {
    }

    /**
     * @param awaitingRelease the plan freed an address that a waiting machine of the same cluster takes next pass
     * @param awaitingRun     an address waits for a pending machine to run ({@link AssociateWhenRunning}): nothing else
     *                        wakes the pool when it does
     */
    static Duration after(int actionsPlanned, PoolActuator.Result result, Duration resync, boolean awaitingRelease, boolean awaitingRun) {
        Duration next = after(actionsPlanned, result, resync, awaitingRelease);
        return awaitingRun && next.compareTo(SOON) > 0 ? SOON : next;
    }

    static Duration after(int actionsPlanned, PoolActuator.Result result, Duration resync, boolean awaitingRelease) {
        if (actionsPlanned == 0) {
            return resync;
        }
        if (awaitingRelease && result.done() > 0) {
            return RIGHT_AFTER;
        }
        return result.done() > 0 || result.refused() > 0 ? SOON : resync;
    }
}
