package io.autoheal.tenant;

import java.util.List;

/**
 * Whether a cluster or pool may act on AWS under the TenantPolicies: decided from the applicable policies, the
 * installation's mode and the violations of the one applicable policy. A refusal names the field (or the missing policy).
 */
public record TenantVerdict(boolean allowed, String message) {
    static final TenantVerdict ALLOWED = new TenantVerdict(true, "");

    public static TenantVerdict decide(TenantMode mode, String namespace, ApplicablePolicy applicable,
            java.util.function.Function<io.autoheal.api.v1alpha1.TenantAllow, List<Violation>> check) {
        if (applicable.several()) {
            return refused("several TenantPolicies apply to namespace " + namespace + " (" + String.join(", ", applicable.names())
                    + "); a namespace may have one: narrow their spec.namespaces or spec.namespaceSelector");
        }
        if (applicable.none()) {
            return mode == TenantMode.open ? ALLOWED
                    : refused("no TenantPolicy applies to namespace " + namespace + " and the tenant-policy mode is enforced");
        }
        var policy = applicable.only();
        List<Violation> violations = check.apply(policy.getSpec().allow);
        if (violations.isEmpty()) {
            return ALLOWED;
        }
        String name = policy.getMetadata().getName();
        String first = violations.get(0).describe(name);
        return refused(violations.size() == 1 ? first : first + " (and " + (violations.size() - 1) + " more)");
    }

    private static TenantVerdict refused(String message) {
        return new TenantVerdict(false, message);
    }
}
