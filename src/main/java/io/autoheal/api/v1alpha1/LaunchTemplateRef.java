package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.id) != has(self.name)", message = "spec.template.launchTemplate: set exactly one of id or name")
public class LaunchTemplateRef {
    @Pattern("^lt-[0-9a-f]{8,17}$")
    @JsonPropertyDescription("Launch template ID, e.g. lt-0123456789abcdef0.")
    public String id;

    @Pattern("^[a-zA-Z0-9()./_-]{3,128}$")
    @JsonPropertyDescription("Launch template name.")
    public String name;

    @Default("$Latest")
    @Pattern("^(\\$Latest|\\$Default|[1-9][0-9]*)$")
    @JsonPropertyDescription("Version: a number, $Latest (default) or $Default.")
    public String version = "$Latest";
}
