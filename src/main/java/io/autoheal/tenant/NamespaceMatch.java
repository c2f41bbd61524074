package io.autoheal.tenant;

import io.autoheal.api.v1alpha1.LabelRequirement;
import io.autoheal.api.v1alpha1.NamespaceSelector;
import io.autoheal.api.v1alpha1.TenantPolicy;
import java.util.Map;

/** Whether a TenantPolicy applies to a namespace: named in spec.namespaces, or its labels match spec.namespaceSelector. */
public final class NamespaceMatch {
    private NamespaceMatch() {
    }

    public static boolean applies(TenantPolicy policy, String namespace, Map<String, String> labels) {
        var spec = policy.getSpec();
        if (spec == null) {
            return false;
        }
        return spec.namespaces != null && spec.namespaces.contains(namespace)
                || spec.namespaceSelector != null && selects(spec.namespaceSelector, labels == null ? Map.of() : labels);
    }

    /** Kubernetes label-selector semantics: every matchLabels entry and every matchExpressions requirement holds; {} selects all. */
    static boolean selects(NamespaceSelector selector, Map<String, String> labels) {
        if (selector.matchLabels != null
                && !selector.matchLabels.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
            return false;
        }
        return selector.matchExpressions == null || selector.matchExpressions.stream().allMatch(r -> holds(r, labels));
    }

    private static boolean holds(LabelRequirement r, Map<String, String> labels) {
        String value = labels.get(r.key);
        boolean in = value != null && r.values != null && r.values.contains(value);
        return switch (r.operator) {
            case In -> in;
            case NotIn -> !in;
            case Exists -> value != null;
            case DoesNotExist -> value == null;
        };
    }
}
