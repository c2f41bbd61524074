package io.autoheal.bootstrap;

import java.time.Instant;
import java.util.Optional;

/**
 * Pure: what to do now for one machine waiting in Terminating:Wait (the operator's terminating lifecycle hook).
 * A drain is one job tracked exactly like a bootstrap job (same record, same state machine, id tagged on the
 * instance), with one attempt: {@link BootstrapPlanner} with a gated policy plans the job, and this class turns its
 * end into the answer to the hook. Success: CONTINUE. A failed or timed-out job, or a job that could not be started
 * within the timeout: CONTINUE too (the default, the machine terminates drained as far as it got), or with
 * {@code keepOnTimeout} the machine stays in Terminating:Wait, heartbeated, until a person acts.
 *
 * <p>The machine leaves discovery before its drain starts: the publishers (EndpointSlice, members ConfigMap, HTTP SD)
 * publish the status a pass wrote, so the job is triggered only once the previous status already reported the
 * machine leaving ({@code reported}); until then the plan waits one pass (the next check is now: a second later).
 */
public final class DrainPlanner {
    private DrainPlanner() {
    }

    public enum Kind {
        /** Nothing to do yet: waiting for the machine or for the trigger's back-off. */
        WAIT,
        TRIGGER,
        POLL,
        /** Extend the terminating hook (the drain runs long), then poll. */
        HEARTBEAT,
        /** The drain succeeded: CompleteLifecycleAction CONTINUE. */
        CONTINUE,
        /** The drain failed or timed out, onTimeout Continue: CONTINUE anyway. */
        CONTINUE_UNDRAINED,
        /** The drain failed or timed out, onTimeout Keep: the machine stays; heartbeat when {@code heartbeat}. */
        KEEP
    }

    /** @param heartbeat KEEP: the hook's heartbeat is due now */
    public record Plan(Kind kind, BootstrapRecord record, int attempt, boolean heartbeat, Optional<Instant> nextCheck) {
    }

    /** @param policy the drain's policy: its timeout, one attempt, gated (the hook), the operator's intervals */
    /**
     * @param reported the previous status (the one the publishers published) showed the machine leaving: its row's
     *                 lifecycle Terminating* and health Leaving
     */
    public static Plan plan(BootstrapTarget target, BootstrapRecord record, BootstrapPolicy policy, boolean keepOnTimeout, boolean reported,
                            Instant now) {
        BootstrapPlan p = BootstrapPlanner.plan(target, record, policy, now);
        BootstrapRecord r = p.record();
        return switch (p.step().kind()) {
            case COMPLETE, NOTHING -> new Plan(Kind.CONTINUE, r, 0, false, Optional.empty());
            case TRIGGER -> notStartedInTime(r, policy, now) ? ended(r, policy, keepOnTimeout, now)
                    : !reported ? new Plan(Kind.WAIT, r, 0, false, Optional.of(now))
                    : new Plan(Kind.TRIGGER, r, p.step().attempt(), false, p.nextCheck());
            case POLL -> new Plan(Kind.POLL, r, 0, false, p.nextCheck());
            case HEARTBEAT -> new Plan(Kind.HEARTBEAT, r, 0, false, p.nextCheck());
            case GIVE_UP -> ended(r, policy, keepOnTimeout, now);
            case WAIT, RETRY_LATER -> notStartedInTime(r, policy, now) ? ended(r, policy, keepOnTimeout, now)
                    : new Plan(Kind.WAIT, r, 0, false, earliest(p.nextCheck(), r.since().plus(policy.timeout())));
        };
    }

    /** No job was ever accepted and the drain's time is over (the record's since is when the machine began to leave). */
    private static boolean notStartedInTime(BootstrapRecord r, BootstrapPolicy policy, Instant now) {
        return r.jobId() == null && !now.isBefore(r.since().plus(policy.timeout()));
    }

    private static Plan ended(BootstrapRecord r, BootstrapPolicy policy, boolean keep, Instant now) {
        if (!keep) {
            return new Plan(Kind.CONTINUE_UNDRAINED, r, 0, false, Optional.empty());
        }
        Instant last = r.lastHeartbeat() != null ? r.lastHeartbeat() : r.since();
        Instant due = last.plus(policy.heartbeatInterval());
        boolean heartbeat = !now.isBefore(due);
        return new Plan(Kind.KEEP, r, 0, heartbeat, Optional.of(heartbeat ? now.plus(policy.heartbeatInterval()) : due));
    }

    private static Optional<Instant> earliest(Optional<Instant> a, Instant b) {
        return Optional.of(a.filter(t -> t.isBefore(b)).orElse(b));
    }
}
