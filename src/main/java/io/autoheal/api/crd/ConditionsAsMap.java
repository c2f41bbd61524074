package io.autoheal.api.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;

/**
 * Build-time only: {@code status.conditions} is a list-type map keyed by {@code type}, as the Kubernetes API conventions
 * ask of condition lists. Server-side apply then merges conditions by type instead of replacing the whole list, and the
 * API server refuses two conditions of one type. The generator has no annotation for list types, hence this step.
 * A map key must be required (the API server refuses the CRD otherwise); {@code status} is required as metav1.Condition does.
 */
final class ConditionsAsMap {
    private ConditionsAsMap() {
    }

    static void apply(CustomResourceDefinition crd) {
        for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
            if (version.getSchema() == null || version.getSchema().getOpenAPIV3Schema() == null) {
                continue;
            }
            JSONSchemaProps status = version.getSchema().getOpenAPIV3Schema().getProperties().get("status");
            JSONSchemaProps conditions = status == null ? null : status.getProperties().get("conditions");
            if (conditions == null || conditions.getItems() == null || conditions.getItems().getSchema() == null) {
                continue;
            }
            conditions.setXKubernetesListType("map");
            conditions.setXKubernetesListMapKeys(List.of("type"));
            JSONSchemaProps item = conditions.getItems().getSchema();
            List<String> required = new ArrayList<>(item.getRequired() == null ? List.of() : item.getRequired());
            for (String key : List.of("type", "status")) {
                if (!required.contains(key)) {
                    required.add(key);
                }
            }
            item.setRequired(required);
        }
    }
}
