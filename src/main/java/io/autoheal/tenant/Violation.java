package io.autoheal.tenant;

/** One value of a HealingCluster or ElasticIpPool field outside a TenantPolicy's allow-list. */
public record Violation(String field, String value, String allowList) {
    public String describe(String policy) {
        return field + ": " + value + " is not allowed by TenantPolicy " + policy + " (spec.allow." + allowList + ")";
    }
}
