package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ElasticIpPoolStatus {
    @JsonPropertyDescription("The metadata.generation this status was computed for.")
    public Long observedGeneration;
    @JsonPropertyDescription("The AWS region in use.")
    public String region;
    @JsonPropertyDescription("Addresses in the pool.")
    public Integer total;
    @JsonPropertyDescription("Addresses not associated with anything.")
    public Integer free;
    @JsonPropertyDescription("Addresses associated with machines of the pool's clusters.")
    public Integer assigned;
    @JsonPropertyDescription("Addresses associated with something outside the pool's clusters; never touched.")
    public Integer foreign;
    @JsonPropertyDescription("Machines that need an address and have none.")
    public Integer waiting;
    @JsonPropertyDescription("Every address of the pool and what it is associated with.")
    public List<AddressAssignment> assignments = new ArrayList<>();
    @JsonPropertyDescription("Standard conditions: Ready, Exhausted.")
    public List<Condition> conditions = new ArrayList<>();
}
