package io.autoheal.tenant;

/**
 * The TenantPolicies and namespace labels as the operator knows them now ({@link TenantPolicyReader}'s informers in
 * production, a test's own in the fast tier). Never blocks, never throws: what is not known is said by the snapshot.
 */
public interface TenantPolicySource {
    TenantSnapshot snapshot();
}
