package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.namespaces) || has(self.namespaceSelector)",
        message = "spec: set namespaces, namespaceSelector or both")
public class TenantPolicySpec {
    @Size(max = 256)
    @JsonPropertyDescription("Namespaces this policy applies to, by name. A namespace may be named by at most one TenantPolicy.")
    public List<@Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$") String> namespaces;

    @JsonPropertyDescription("Namespaces this policy applies to, by label (in addition to spec.namespaces). A namespace that "
            + "several TenantPolicies apply to is refused: its clusters and pools get NotAllowedByTenantPolicy.")
    public NamespaceSelector namespaceSelector;

    @JsonPropertyDescription("The AWS identity the clusters and pools of these namespaces are read and written with.")
    public TenantAws aws;

    @JsonPropertyDescription("What the clusters and pools of these namespaces may ask for. Unset: anything.")
    public TenantAllow allow;
}
