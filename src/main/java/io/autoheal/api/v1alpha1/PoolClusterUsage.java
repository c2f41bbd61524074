package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How one cluster uses its pool: counts only, so a pool's status stays small however many machines the cluster has. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PoolClusterUsage {
    @JsonPropertyDescription("Name of the HealingCluster (in the pool's namespace).")
    public String name;
    @JsonPropertyDescription("Addresses of the pool on its machines.")
    public Integer assigned;
    @JsonPropertyDescription("Addresses being taken off its machines in this pass (terminating machines, second addresses); absent "
            + "when none.")
    public Integer releasing;
    @JsonPropertyDescription("Its machines that need an address and have none; absent when none.")
    public Integer waiting;
    @JsonPropertyDescription("Its machines that wait one pass for their predecessor's address, being freed now; absent when none.")
    public Integer awaitingRelease;
}
