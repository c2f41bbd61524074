package io.autoheal.bootstrap;

import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * Pure: what to do now for one machine's bootstrap, given the machine, its record and the policy. No I/O and an
 * explicit clock, so every rule is table-testable. One job at a time: while a job is in flight the machine is
 * only polled (and heartbeated when gated); a new trigger needs no job in flight, no back-off pending, attempts
 * left and a ready machine. A job past its timeout is polled once more and fails only if
 * that answer is not final (see {@link BootstrapStateMachine#onPoll}). The record given should already carry the tagged job (see {@link BootstrapRows#restore}).
 */
public final class BootstrapPlanner {
    private BootstrapPlanner() {
    }

    public static BootstrapPlan plan(BootstrapTarget target, BootstrapRecord record, BootstrapPolicy policy, Instant now) {
        boolean gated = policy.gateLaunch() && target.awaitingLaunchHook();
        if (record.phase() == BootstrapPhase.Succeeded) {
            return new BootstrapPlan(gated ? BootstrapStep.complete() : BootstrapStep.nothing(), record, Optional.empty());
        }
        if (BootstrapStateMachine.timedOut(record, policy, now)) {
            // Past its deadline a job is asked once more before it counts as failed: a final answer beats the timeout
            // (BootstrapStateMachine.onPoll), so a job that finished while the operator was down or the cluster paused
            // is neither triggered a second time nor, when gated, abandoned with its healthy machine.
            return new BootstrapPlan(BootstrapStep.poll(record.jobId()), record, Optional.of(now.plus(policy.pollInterval())));
        }
        BootstrapRecord r = BootstrapStateMachine.expireUnanswered(record, policy, now);
        if (r.gaveUp(policy.maxAttempts())) {
            return new BootstrapPlan(BootstrapStep.giveUp(gated), r, Optional.empty());
        }
        if (r.inFlight()) {
            Instant heartbeatDue = gated ? heartbeatDue(r, policy) : null;
            Instant due = earliest(now.plus(policy.pollInterval()), r.triggeredAt().plus(policy.timeout()), heartbeatDue);
            boolean heartbeat = heartbeatDue != null && !now.isBefore(heartbeatDue);
            return new BootstrapPlan(heartbeat ? BootstrapStep.heartbeat(r.jobId()) : BootstrapStep.poll(r.jobId()), r,
                    Optional.of(heartbeat ? now.plus(policy.pollInterval()) : due));
        }
        if (r.nextAttemptAt() != null && now.isBefore(r.nextAttemptAt())) {
            return new BootstrapPlan(BootstrapStep.retryLater(r.nextAttemptAt()), r, Optional.of(r.nextAttemptAt()));
        }
        // Readiness (EC2 state, Elastic IP) changes without a Kubernetes event: look again at the poll interval.
        Optional<Instant> soon = Optional.of(now.plus(policy.pollInterval()));
        if (!target.ready()) {
            return new BootstrapPlan(BootstrapStep.waitForMachine(), r, soon);
        }
        return new BootstrapPlan(BootstrapStep.trigger(r.nextTriggerAttempt()), r, soon);
    }

    /** The earliest next check of several machines: when the cluster should be reconciled again for bootstrap. */
    public static Optional<Instant> nextCheck(Collection<BootstrapPlan> plans) {
        return plans.stream().map(BootstrapPlan::nextCheck).flatMap(Optional::stream).min(Instant::compareTo);
    }

    /** The lifecycle hook's clock runs since the last heartbeat, or (before any) at least since the trigger. */
    private static Instant heartbeatDue(BootstrapRecord r, BootstrapPolicy policy) {
        Instant last = r.lastHeartbeat() != null ? r.lastHeartbeat() : r.triggeredAt();
        return last.plus(policy.heartbeatInterval());
    }

    private static Instant earliest(Instant... times) {
        Instant min = null;
        for (Instant t : times) {
            if (t != null && (min == null || t.isBefore(min))) {
                min = t;
            }
        }
        return Objects.requireNonNull(min);
    }
}
