package io.autoheal.kube;

/** Condition types written by the operator. */
public enum ConditionType {
    Ready, Progressing, Degraded, RemediationBlocked, Bootstrapped, Exhausted, DrainStuck, DiscoveryPublished, LaunchFailing, ForeignAddresses
}
