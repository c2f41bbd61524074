package io.autoheal.cluster.healing;

import java.time.Instant;

/**
 * One machine as the healing decision sees it: EC2 state, ASG lifecycle and health, status checks, bootstrap
 * outcome, and what earlier passes remembered: {@code impairedSince} is when a pass first saw it impaired or
 * unhealthy (status.instances[].unhealthySince), null while it is fine.
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
        boolean skipRemediation) {

    /** Bootstrap as far as healing cares. */
    public enum Bootstrap { NOT_REQUIRED, PENDING, SUCCEEDED, FAILED_FINAL }

    /**
     * Out of the serving fleet by the group's or a person's hand (terminating, detaching, warm pool, or Standby —
     * where an engineer parks a sick host to debug it): observed, never remediated.
     */
    boolean leaving() {
        return lifecycle != null && (lifecycle.startsWith("Terminating") || lifecycle.startsWith("Detach")
                || lifecycle.equals("Terminated") || lifecycle.startsWith("Warmed") || lifecycle.endsWith("Standby"))
                || "shutting-down".equals(ec2State) || "terminated".equals(ec2State);
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
