package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.launchTemplate) != has(self.machine)",
        message = "spec.template: set exactly one of launchTemplate (an existing launch template) or machine (an inline machine spec)")
public class MachineTemplate {
    @JsonPropertyDescription("Reference to an existing EC2 launch template, by id or name.")
    public LaunchTemplateRef launchTemplate;

    @JsonPropertyDescription("Inline machine spec; the operator creates and versions a launch template from it (tagged autoheal.io/cluster).")
    public InlineMachine machine;
}
