package io.autoheal.kube;

/** Condition types written by the operator. */
public enum ConditionType {
    Ready, Progressing, Degraded, RemediationBlocked, Bootstrapped, Exhausted, DrainStuck, DiscoveryPublished, LaunchFailing,
    /** A rollout stopped because machines of the version it rolls to fail (cluster.plan.RolloutGate). */
    RolloutStopped,
    /** A pool's addresses that another pool, installation or cluster holds: reported, never moved (eip.AddressOwnership). */
    ForeignAddresses,
    /** Most probed machines of every probed cluster in a zone fail at once: the prober is blamed, nothing replaced on probes. */
    ProbesInconclusive,
    /** Probes not sent: the machine's address is outside autoheal.health.probe-allowed-cidrs / autoheal.outbound.allowed-cidrs. */
    ProbesRefused,
    /** spec.health.alerts lists alerts but the operator's Alertmanager webhook is off (no token): they cannot heal anything. */
    AlertsIgnored,
    /** DescribeTargetHealth of a target group in spec.health.targetGroupArns failed: its targets' health is unknown. */
    TargetHealthUnknown
}
