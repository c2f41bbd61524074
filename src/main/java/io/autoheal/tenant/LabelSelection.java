package io.autoheal.tenant;

import io.autoheal.api.v1alpha1.LabelRequirement;
import io.autoheal.api.v1alpha1.NamespaceSelector;
import java.util.Map;

/** Kubernetes label-selector semantics over a namespace's labels: every matchLabels entry and every requirement holds. Pure. */
final class LabelSelection {
    private LabelSelection() {
    }

    static boolean selects(NamespaceSelector selector, Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        if (selector.matchLabels != null && !selector.matchLabels.entrySet().stream().allMatch(e -> e.getValue().equals(l.get(e.getKey())))) {
            return false;
        }
        return selector.matchExpressions == null || selector.matchExpressions.stream().allMatch(r -> holds(r, l));
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
