package io.autoheal.cluster.healing;

import java.time.Instant;

/**
 * The decision about one machine. {@code since} is carried to the next pass (impaired/unhealthy since); {@code signal}
 * is the application-health failure behind an UNHEALTHY verdict (ProbeFailed, TargetUnhealthy, AlertFiring), else null.
 */
public record Verdict(String instanceId, State state, Reason reason, Instant since, AppSignal signal) {

    public Verdict(String instanceId, State state, Reason reason, Instant since) {
        this(instanceId, state, reason, since, null);
    }

    /**
     * STARTING: launched, not yet where its bootstrap can start (the startup clock runs); BOOTSTRAPPING: its job is
     * queued, running or waiting to retry (bounded by the bootstrap's own timeouts, not the startup clock).
     */
    public enum State { HEALTHY, STARTING, BOOTSTRAPPING, UNHEALTHY, LEAVING }

    /** Why a machine is unhealthy (or, for LEAVING, why it left). Names are shown in status and Events. */
    public enum Reason {
        Stopped, AsgUnhealthy, BootstrapFailed, StatusCheckImpaired, StartupTimeout, TerminatedExternally,
        /** AWS announced it will take the machine (Spot interruption warning): replaced ahead of it, within budget. */
        SpotInterruption,
        /** AWS recommends moving off the machine (EC2 rebalance recommendation): replaced ahead, within budget. */
        RebalanceRecommended,
        /** AWS scheduled a change that stops or retires the machine (AWS Health): replaced ahead, within budget. */
        ScheduledChange,
        /** Not unhealthy: launched from an older launch template version (a controlled roll). */
        Outdated,
        /** An application probe (spec.health.probes) failed failureThreshold times in a row. */
        ProbeFailed,
        /** Its load-balancer target (spec.health.targetGroupArns) stayed unhealthy for unhealthyAfter. */
        TargetUnhealthy,
        /** A Prometheus alert listed in spec.health.alerts fires for it (through the Alertmanager webhook). */
        AlertFiring;

        /**
         * The machine is already gone: replacing it protects nothing and risks nothing, so it is outside the budget
         * and the hourly quota (they exist to keep live machines from mass termination).
         */
        public boolean alreadyGone() {
            return this == TerminatedExternally;
        }

        /**
         * AWS advises moving off a machine that still runs and is not going away on its own schedule yet: it neither
         * counts toward maxUnhealthy (a rebalance wave must not block real healing) nor is replaced while anything
         * else is unhealthy or on its way in — one at a time, with the hourly quota left over.
         */
        /** What users of the machine see (probes, load-balancer target health, Prometheus alerts), not what EC2 sees. */
        public boolean application() {
            return this == ProbeFailed || this == TargetUnhealthy || this == AlertFiring;
        }

        public boolean advisory() {
            return this == RebalanceRecommended || this == ScheduledChange;
        }
    }

    boolean unhealthy() {
        return state == State.UNHEALTHY;
    }
}
