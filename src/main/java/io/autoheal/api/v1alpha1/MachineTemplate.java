package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.launchTemplate) != has(self.machine)",
        message = "spec.template: set exactly one of launchTemplate (an existing launch template) or machine (an inline machine spec)")
@ValidationRule(value = "!has(self.instanceTypes) || !has(self.machine) || self.instanceTypes[0] == self.machine.instanceType",
        message = "spec.template.instanceTypes: the first choice must be machine.instanceType")
@ValidationRule(value = "has(self.instanceTypes) || (!has(self.spotPercentage) || self.spotPercentage == 0) && !(has(self.capacityRebalance) && self.capacityRebalance)",
        message = "spec.template: spotPercentage and capacityRebalance need instanceTypes (a mixed instances policy)")
public class MachineTemplate {
    @JsonPropertyDescription("Reference to an existing EC2 launch template, by id or name.")
    public LaunchTemplateRef launchTemplate;

    @JsonPropertyDescription("Inline machine spec; the operator creates and versions a launch template from it (tagged autoheal.io/cluster).")
    public InlineMachine machine;

    @Size(min = 1, max = 20)
    @ValidationRule(value = "self.all(t, self.exists_one(u, u == t))", message = "spec.template.instanceTypes: each type once")
    @JsonPropertyDescription("Instance types the group may launch, in order of preference (an Auto Scaling mixed instances policy, "
            + "prioritized): when AWS has no capacity for one type in a zone, the next is launched, so one type short does not stop "
            + "healing. With an inline machine the first must be machine.instanceType, and the list is part of the launch template's "
            + "version: changing it rolls the machines like any template change. With a referenced launch template a change applies "
            + "to new machines only.")
    public List<@Pattern("^[a-z][a-z0-9-]*\\.[a-z0-9-]+$") @Size(max = 32) String> instanceTypes;

    @Min(0)
    @Max(100)
    @JsonPropertyDescription("Percent of the capacity launched as Spot instances (the rest On-Demand), tried in the order of "
            + "instanceTypes. Default 0: On-Demand only. Needs instanceTypes.")
    public Integer spotPercentage;

    @JsonPropertyDescription("Let Auto Scaling replace a Spot instance that received a rebalance recommendation before it is "
            + "interrupted (Capacity Rebalancing). Needs instanceTypes.")
    public Boolean capacityRebalance;
}
