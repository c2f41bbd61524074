package io.autoheal.cluster.healing;

import java.time.Instant;
import java.util.List;

/**
 * One group member as every rule of the cluster planner sees it (health, capacity, rollout, launch gate, advice):
 * what EC2 and the group say, what the bootstrap observed, what AWS advised, what the last status remembered. The
 * one projection of a machine: {@link HealthDecider}, {@link CapacityDecider} and {@link RolloutDecider} read it.
 * Built only by {@link #builder(String)}: a later input (probe results, warm-pool state, rollout bake) is one more
 * field and one more builder method, not a new projection or a longer parameter list.
 *
 * @param unhealthySince when a pass first saw it impaired or unhealthy (status.instances[].unhealthySince), null
 *                       while it is fine
 * @param advice         what AWS announced for the machine through the event queue (a Spot interruption, a rebalance
 *                       recommendation, a scheduled retirement), null if nothing
 * @param version        the launch template version it was launched from, as its group reports it (null: unknown)
 * @param address        the Elastic IP allocation it holds, or null
 * @param appSignals     conclusive application-health failures (probes, target health, alerts), empty when none
 * @param appSuspect     application-health failure evidence that is not conclusive yet (counted in the budget before a
 *                       machine is replaced on application evidence, never a reason to replace this one)
 */
public record Machine(String instanceId, Instant launchTime, String ec2State, String lifecycle, boolean asgHealthy, String statusCheck,
                      Instant unhealthySince, Bootstrap bootstrap, boolean skipRemediation, Verdict.Reason advice,
                      String version, String zone, String address, List<AppSignal> appSignals, boolean appSuspect) {

    public Machine {
        appSignals = appSignals == null ? List.of() : List.copyOf(appSignals);
    }

    public static Builder builder(String instanceId) {
        return new Builder(instanceId);
    }

    /** Held by the launch gate: its launch waits in Pending:Wait for its bootstrap (the gate, not healing, ends it). */
    public boolean gated() {
        return "Pending:Wait".equals(lifecycle);
    }

    /** A copy with another bootstrap outcome. */
    public Machine withBootstrap(Bootstrap b) {
        return new Machine(instanceId, launchTime, ec2State, lifecycle, asgHealthy, statusCheck, unhealthySince, b, skipRemediation,
                advice, version, zone, address, appSignals, appSuspect);
    }

    /** A copy that is (or is not) suspect of an application-health failure. */
    public Machine withAppSuspect(boolean suspect) {
        return new Machine(instanceId, launchTime, ec2State, lifecycle, asgHealthy, statusCheck, unhealthySince, bootstrap, skipRemediation,
                advice, version, zone, address, appSignals, suspect);
    }

    public static final class Builder {
        private final String instanceId;
        private Instant launchTime;
        private String ec2State = "pending";
        private String lifecycle = "Pending";
        private boolean asgHealthy = true;
        private String statusCheck;
        private Instant unhealthySince;
        private Bootstrap bootstrap = Bootstrap.NOT_REQUIRED;
        private boolean skipRemediation;
        private Verdict.Reason advice;
        private String version;
        private String zone;
        private String address;
        private List<AppSignal> appSignals = List.of();
        private boolean appSuspect;

        private Builder(String instanceId) {
            this.instanceId = instanceId;
        }

        public Builder launchTime(Instant v) { launchTime = v; return this; }
        public Builder ec2State(String v) { ec2State = v; return this; }
        public Builder lifecycle(String v) { lifecycle = v; return this; }
        public Builder asgHealthy(boolean v) { asgHealthy = v; return this; }
        public Builder statusCheck(String v) { statusCheck = v; return this; }
        public Builder unhealthySince(Instant v) { unhealthySince = v; return this; }
        public Builder bootstrap(Bootstrap v) { bootstrap = v; return this; }
        public Builder skipRemediation(boolean v) { skipRemediation = v; return this; }
        public Builder advice(Verdict.Reason v) { advice = v; return this; }
        public Builder version(String v) { version = v; return this; }
        public Builder zone(String v) { zone = v; return this; }
        public Builder address(String v) { address = v; return this; }
        public Builder appSignals(List<AppSignal> v) { appSignals = v; return this; }
        public Builder appSuspect(boolean v) { appSuspect = v; return this; }

        public Machine build() {
            return new Machine(instanceId, launchTime, ec2State, lifecycle, asgHealthy, statusCheck, unhealthySince, bootstrap,
                    skipRemediation, advice, version, zone, address, appSignals, appSuspect);
        }
    }

    /** Bootstrap as far as healing cares. */
    public enum Bootstrap {
        NOT_REQUIRED,
        /** No job triggered yet (or none accepted): the startup clock still runs. */
        PENDING,
        /** A job was triggered and there is no final answer yet (queued, running, or waiting to retry). */
        IN_PROGRESS,
        SUCCEEDED,
        FAILED_FINAL,
        /**
         * Not bootstrapped, and its bootstrap cannot run for a cause outside the machine (the bootstrap Secret is
         * missing or forbidden, the URL refused, the pool that gives it its address missing): it waits, and no
         * startup clock runs against it — a successor would wait the same. The cluster's condition says why.
         */
        BLOCKED;

        /** Nothing left to wait for before the machine may serve. */
        boolean done() {
            return this == NOT_REQUIRED || this == SUCCEEDED;
        }
    }

    /**
     * Out of the serving fleet by the group's or a person's hand (terminating, detaching, warm pool, or Standby —
     * where an engineer parks a sick host to debug it): observed, never remediated.
     */
    boolean leaving() {
        return leftByLifecycle() || gone();
    }

    /** EC2 is ending or has ended the instance. */
    boolean gone() {
        return "shutting-down".equals(ec2State) || "terminated".equals(ec2State);
    }

    /**
     * Terminated behind the group's back while the group still counts it as a member: with ReplaceUnhealthy
     * suspended, AWS leaves it there, and only the operator's TerminateInstanceInAutoScalingGroup makes room for a
     * successor.
     */
    boolean strandedInGroup() {
        return gone() && !leftByLifecycle();
    }

    private boolean leftByLifecycle() {
        return lifecycle != null && (lifecycle.startsWith("Terminating") || lifecycle.startsWith("Detach")
                || lifecycle.equals("Terminated") || lifecycle.startsWith("Warmed") || lifecycle.endsWith("Standby"));
    }

    boolean stopped() {
        return "stopping".equals(ec2State) || "stopped".equals(ec2State);
    }

    boolean impaired() {
        return "impaired".equals(statusCheck);
    }

    boolean inService() {
        return "InService".equals(lifecycle) && "running".equals(ec2State);
    }
}
