package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AddressAssignment {
    @JsonPropertyDescription("Allocation ID of the address.")
    public String allocationId;
    @JsonPropertyDescription("The public IP.")
    public String publicIp;
    @JsonPropertyDescription("Free, Assigned, Foreign or Releasing.")
    public String state;
    @JsonPropertyDescription("<namespace>/<name> of the HealingCluster the address is assigned to.")
    public String cluster;
    @JsonPropertyDescription("The instance the address is associated with.")
    public String instanceId;
    @JsonPropertyDescription("Since when (RFC 3339).")
    public String since;
}
