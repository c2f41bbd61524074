package io.autoheal.cluster.healing;

import java.time.Instant;

/**
 * One machine as the healing decision sees it: EC2 state, ASG lifecycle and health, status checks, bootstrap
 * outcome, and what earlier passes remembered: {@code impairedSince} is when a pass first saw it impaired or
 * unhealthy (status.instances[].unhealthySince), null while it is fine. {@code notice} is what AWS announced for the
 * machine through the event queue (a Spot interruption, a rebalance recommendation, a scheduled retirement), null if
 * nothing.
 */
public record MachineState(
        String instanceId,
        Instant launchTime,
        String ec2State,
        String lifecycle,
        boolean asgHealthy,
        String statusCheck,
        Instant impairedSince,
        Bootstrap bootstrap,
        boolean skipRemediation,
        Verdict.Reason notice) {

    /** A machine AWS has announced nothing for. */
    public MachineState(String instanceId, Instant launchTime, String ec2State, String lifecycle, boolean asgHealthy, String statusCheck,
                        Instant impairedSince, Bootstrap bootstrap, boolean skipRemediation) {
        this(instanceId, launchTime, ec2State, lifecycle, asgHealthy, statusCheck, impairedSince, bootstrap, skipRemediation, null);
    }

    /** Bootstrap as far as healing cares. */
    public enum Bootstrap {
        NOT_REQUIRED,
        /** No job triggered yet (or none accepted): the startup clock still runs. */
        PENDING,
        /** A job was triggered and there is no final answer yet (queued, running, or waiting to retry). */
        IN_PROGRESS,
        SUCCEEDED,
        FAILED_FINAL;

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
