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
    // address ownership (claims: eip.PoolClaim, eip.AddressOwnership)
    AddressClaimed, AddressClaimLost, AddressesOrphaned, AddressesUnclaimed
}
