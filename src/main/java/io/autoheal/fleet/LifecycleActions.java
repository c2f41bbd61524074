package io.autoheal.fleet;

/** Port: answers to the {@link LaunchGate} hook for machines waiting in Pending:Wait. */
public interface LifecycleActions {
    /** CONTINUE puts the machine in service, ABANDON terminates it (the group replaces it). */
    void completeLaunch(String region, String asgName, String instanceId, boolean proceed);

    /** Keeps a machine in Pending:Wait past the hook's heartbeat timeout. */
    void heartbeat(String region, String asgName, String instanceId);
}
