package io.autoheal.tenant;

/** What a namespace no TenantPolicy applies to may do (config autoheal.tenant-policy.mode). */
public enum TenantMode {
    /** Anything, as without TenantPolicies: one team, or a platform that does not use them yet. The default. */
    open,
    /** Nothing: a cluster or pool needs a TenantPolicy for its namespace. */
    enforced
}
