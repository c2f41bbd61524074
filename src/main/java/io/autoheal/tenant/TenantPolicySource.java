package io.autoheal.tenant;

import io.autoheal.api.v1alpha1.TenantPolicy;
import java.util.Collection;
import java.util.Map;

/** The TenantPolicies and namespace labels as the operator knows them (informers in production, a map in the fast tier). */
public interface TenantPolicySource {
    /** Every TenantPolicy. Throws if they cannot be known yet: the caller then acts on nothing. */
    Collection<TenantPolicy> policies();

    /** The labels of a namespace (empty when it has none or is not known). */
    Map<String, String> namespaceLabels(String namespace);
}
