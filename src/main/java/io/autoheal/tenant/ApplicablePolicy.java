package io.autoheal.tenant;

import io.autoheal.api.v1alpha1.TenantPolicy;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The TenantPolicies that apply to one namespace: none, exactly one, or several (refused: no merging of allow-lists). */
public record ApplicablePolicy(List<TenantPolicy> policies) {

    public static ApplicablePolicy of(Collection<TenantPolicy> all, String namespace, Map<String, String> namespaceLabels) {
        return new ApplicablePolicy(all.stream().filter(p -> NamespaceMatch.applies(p, namespace, namespaceLabels))
                .sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName())).toList());
    }

    public boolean none() {
        return policies.isEmpty();
    }

    public boolean several() {
        return policies.size() > 1;
    }

    public TenantPolicy only() {
        if (policies.size() != 1) {
            throw new IllegalStateException(policies.size() + " policies apply");
        }
        return policies.get(0);
    }

    public List<String> names() {
        return policies.stream().map(p -> p.getMetadata().getName()).toList();
    }
}
