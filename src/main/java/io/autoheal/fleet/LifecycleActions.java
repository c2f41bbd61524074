package io.autoheal.fleet;

/** Port: answers to the {@link LaunchGate} hook (Pending:Wait) and the {@link DrainHook} (Terminating:Wait). */
public interface LifecycleActions {
    /** CONTINUE puts the machine in service, ABANDON terminates it (the group replaces it). */
    void completeLaunch(AwsScope scope, String asgName, String instanceId, boolean proceed);

    /** Keeps a machine in Pending:Wait past the hook's heartbeat timeout. */
    void heartbeat(AwsScope scope, String asgName, String instanceId);

    /** Ends a machine's wait in Terminating:Wait: it terminates (CONTINUE; for a terminating hook ABANDON does too). */
    void completeDrain(AwsScope scope, String asgName, String instanceId);

    /** Keeps a machine in Terminating:Wait while its drain runs longer than the hook's heartbeat timeout. */
    void drainHeartbeat(AwsScope scope, String asgName, String instanceId);
}
