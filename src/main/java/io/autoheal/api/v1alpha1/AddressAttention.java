package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** An address of the pool that needs a look: someone else's use, one being freed, or one AWS refused to associate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AddressAttention {
    @JsonPropertyDescription("Allocation ID of the address.")
    public String allocationId;
    @JsonPropertyDescription("The public IP.")
    public String publicIp;
    @JsonPropertyDescription("Foreign (not this pool's to move: claimed by another pool or installation, orphaned, or on something "
            + "outside the pool's clusters; never touched), Releasing (being taken off a machine in this pass) or "
            + "AssociationRefused (AWS refused this pass's association, or another pool claimed it first: taken meanwhile).")
    public String state;
    @JsonPropertyDescription("Why a Releasing address is freed: InstanceTerminating or DuplicateOnInstance (a second address on one "
            + "machine; the lowest allocation ID stays).")
    public String reason;
    @JsonPropertyDescription("<namespace>/<name> of the HealingCluster concerned: the one whose machine releases it, or the one it "
            + "was meant for; absent for Foreign.")
    public String cluster;
    @JsonPropertyDescription("The instance that holds it (Foreign: absent when it is a NAT gateway or network interface), or the one "
            + "it was meant for (AssociationRefused).")
    public String instanceId;
    @JsonPropertyDescription("Foreign: who or what holds it (the pool or installation that claimed it, the orphaned cluster, or the "
            + "machine it is on).")
    public String holder;
    @JsonPropertyDescription("Since when the address is in this state with this instance (RFC 3339); an address that was left out "
            + "of the list gets the time it appears.")
    public String since;
}
