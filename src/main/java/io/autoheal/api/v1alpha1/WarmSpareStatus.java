package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One warm spare (an instance in the group's warm pool): not a machine of the cluster until the group takes it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WarmSpareStatus {
    @JsonPropertyDescription("EC2 instance id.")
    public String instanceId;

    @JsonPropertyDescription("Its warm-pool lifecycle state, e.g. Warmed:Pending:Wait (bootstrapping), Warmed:Stopped (ready).")
    public String lifecycleState;

    @JsonPropertyDescription("Its bootstrap while warmed (same fields as status.instances[].bootstrap).")
    public InstanceBootstrapStatus bootstrap;
}
