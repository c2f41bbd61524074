package io.autoheal.kube;

/** Condition types written by the operator. */
public enum ConditionType {
    Ready, Progressing, Degraded, RemediationBlocked, Bootstrapped, Exhausted, DrainStuck, DiscoveryPublished, LaunchFailing,
    /** A rollout stopped because machines of the version it rolls to fail (cluster.plan.RolloutGate). */
    RolloutStopped,
    /** A pool's addresses that another pool, installation or cluster holds: reported, never moved (eip.AddressOwnership). */
    ForeignAddresses
}
