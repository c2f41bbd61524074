package io.autoheal.kube;

/** Machine-readable reasons of conditions and Events (CamelCase, as Kubernetes expects). */
public enum Reason {
    // cluster lifecycle
    Reconciled, Creating, Scaling, InstancesStarting, InstancesUnhealthy, Paused, Deleting,
    AsgCreated, AsgUpdated, AsgDeleted, AsgOrphaned, AsgNotOwned, LaunchTemplateUpdated,
    // problems the schema cannot see
    InvalidSpec, PoolNotFound, ShardMismatch, SecretNotFound, SecretForbidden, LaunchTemplateNotFound, AwsError, AwsBadRequest,
    AwsAccessDenied, LaunchTemplateNotOwned, NotInAllowedClusters,
    // healing
    Remediated, RemediationBlocked, HealingProcessSuspended, BudgetExceeded, RateLimited, WithinBudget, InstanceTerminatedExternally,
    // addresses
    EipPoolExhausted, AddressesAvailable, EipAssociated, EipDisassociated, EipAssociationRefused, AddressesAllocated,
    AddressesReleased, ForeignAddress,
    // bootstrap
    BootstrapUrlRefused, // a bootstrapper URL the operator will not call (BootstrapHostPolicy): tenant safety
    BootstrapTriggered, BootstrapSucceeded, BootstrapFailed, BootstrapRetry, BootstrapPending, AllBootstrapped,
    LaunchContinued, LaunchAbandoned,
    // drain before termination (spec.drain)
    DrainTriggered, DrainSucceeded, DrainFailed, DrainTimedOut, DrainKept, TerminationContinued, Surged,
    // discovery (spec.discovery: EndpointSlices, members ConfigMap, Prometheus SD)
    Published, TemplateRenderFailed, TemplateNotFound, DiscoveryNotOwned, DiscoveryWriteFailed,
    // launches AWS refuses (LaunchFailing condition: reason from EC2's message, cluster.launch.LaunchFailureReason)
    LaunchFailing, LaunchesSucceeding, InsufficientInstanceCapacity, InstanceLimitExceeded, InvalidAmi, InvalidIamInstanceProfile,
    UnsupportedInstanceType, LaunchFailed,
    // rollouts (RolloutStopped condition: a version whose machines fail stops rolling)
    RolloutStopped, RolloutProceeding,
    // leader election: a write refused because this replica could not prove it holds the Lease (config.Fence)
    Fenced,
    // blast radius (issue 23): credentials sent over plain http on purpose (allowInsecure: true), a Warning Event
    InsecureCredentials,
    // bootstrap and drain calls (docs/behaviour.md, Bootstrap and drain calls)
    DrainRetry, BootstrapSecretMissing, BootstrapSecretForbidden, BootstrapAnswerTooLarge, BootstrapAnswerUnreadable,
    // the Bootstrapped condition naming what holds bootstraps back (bootstrap.BootstrapProblems): the request timeout / body deadline
    BootstrapAnswerTimedOut,
    // address ownership (claims: eip.PoolClaim, eip.AddressOwnership)
    AddressClaimed, AddressClaimLost, AddressesOrphaned, AddressesUnclaimed,
    // application probes (spec.health.probes; docs/behaviour.md, Application probes)
    ProbesInconclusive, ProbesConclusive, ProbeAddressRefused, ProbesAllowed,
    // spec.health.alerts and the operator's Alertmanager webhook (AlertsIgnored condition)
    AlertmanagerWebhookOff, AlertmanagerWebhookOn,
    // spec.health.targetGroupArns whose DescribeTargetHealth fails (TargetHealthUnknown condition)
    TargetHealthUnreadable, TargetHealthRead,
    // spec.rollout (Progressing condition, status.rollout, cluster.RolloutReport): phases and their Events
    RollingOut, RolloutBaking, RolloutPaused, RolledBack, RollingBack, NewVersionAvailable, RolloutStarted,
    // warm spares (spec.warmPool; docs/behaviour.md, Warm spares): bootstrapped while warmed, replaced in the pool, taken into service
    WarmSpareReady, WarmSpareReplaced, WarmSpareInService,
    // a warm pool this operator did not make, left alone (spec.warmPool unset); a warm pool whose DescribeWarmPool fails
    WarmPoolNotOwned, WarmPoolUnreadable,
    // TenantPolicy: a cluster or pool outside its namespace's allow-lists, several policies, or none in the enforced mode
    NotAllowedByTenantPolicy,
    // a namespace's TenantPolicy role (aws.roleArn) that STS AssumeRole refuses or cannot reach: only that namespace waits
    TenantRoleNotAssumed,
    // a namespace's AWS identity changed after a cluster's or pool's resources were made with another (status.awsIdentity):
    // no AWS call until restored, deleted or accepted (annotation autoheal.io/accept-aws-identity; tenant.ScopeChange)
    TenantScopeChanged, TenantScopeAccepted,
    // the TenantPolicies cannot be read (yet): a cluster or pool waits, neither allowed nor refused (tenant.TenantPolicyReader)
    TenantPoliciesNotRead
}
