package io.autoheal.bootstrap;

/**
 * One machine as the bootstrap planner sees it.
 *
 * @param privateIp          the host the bootstrapper configures (null until EC2 assigned it)
 * @param running            EC2 state is running
 * @param addressReady       it has its Elastic IP, or the cluster does not require one
 * @param awaitingLaunchHook it is held in Pending:Wait by the launch gate (only then CONTINUE / ABANDON / heartbeat)
 */
public record BootstrapTarget(String instanceId, String privateIp, boolean running, boolean addressReady, boolean awaitingLaunchHook) {

    /** Whether a job may be started for it now. */
    public boolean ready() {
        return running && addressReady && privateIp != null && !privateIp.isBlank();
    }
}
