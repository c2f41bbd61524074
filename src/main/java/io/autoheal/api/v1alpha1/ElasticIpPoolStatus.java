package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * Small whatever the pool's size: counts, one row per cluster, and a capped list of the addresses that need a look.
 * Which address is on which machine is kept where it already is: the addresses' AWS tags and each HealingCluster's
 * machine rows ({@code status.instances[].eipAllocationId}, {@code publicIp}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ElasticIpPoolStatus {
    /** At most this many rows in {@link #attention}. */
    public static final int MAX_ATTENTION_ROWS = 50;
    /** At most this many rows in {@link #clusters} (fewer when names are long: see PoolStatusSummary). */
    public static final int MAX_CLUSTER_ROWS = 1000;

    @JsonPropertyDescription("The metadata.generation this status was computed for.")
    public Long observedGeneration;
    @JsonPropertyDescription("The AWS region in use.")
    public String region;
    @JsonPropertyDescription("The AWS identity the pool's addresses live in (allocated, claimed, associated), recorded before "
            + "the first AWS write; see awsIdentity.role.")
    public AwsIdentityStatus awsIdentity;
    @JsonPropertyDescription("Addresses in the pool (free + assigned + foreign + releasing + refused).")
    public Integer total;
    @JsonPropertyDescription("Addresses not associated with anything.")
    public Integer free;
    @JsonPropertyDescription("Addresses associated with machines of the pool's clusters (those associated in this pass included).")
    public Integer assigned;
    @JsonPropertyDescription("Addresses associated with something outside the pool's clusters; never touched.")
    public Integer foreign;
    @JsonPropertyDescription("Addresses being taken off a machine in this pass (its machine terminates or left its cluster, or it "
            + "was a second address on one machine); reused on a later pass.")
    public Integer releasing;
    @JsonPropertyDescription("Addresses AWS refused to associate in this pass because something else took them meanwhile; the next "
            + "pass re-plans (their machines are counted in waiting).")
    public Integer refused;
    @JsonPropertyDescription("Machines that need an address and have none (an address refused in this pass included).")
    public Integer waiting;
    @JsonPropertyDescription("Machines that wait one pass for the address being freed from the machine they replace (their "
            + "predecessor's); not counted in waiting.")
    public Integer awaitingRelease;
    @Size(max = MAX_CLUSTER_ROWS)
    @JsonPropertyDescription("One row per HealingCluster (of the pool's namespace) with machines that hold, wait for or release an "
            + "address of the pool, by name; at most 1000 rows, fewer when names are long (see clustersOmitted).")
    public List<PoolClusterUsage> clusters = new ArrayList<>();
    @JsonPropertyDescription("Clusters left out of clusters to keep the status small; absent when none.")
    public Integer clustersOmitted;
    @Size(max = MAX_ATTENTION_ROWS)
    @JsonPropertyDescription("Addresses that need a look, at most 50: refused associations first, then releasing addresses, then "
            + "foreign ones, each by allocation ID. Every other address is free or on a machine of its cluster (see the "
            + "clusters' status.instances).")
    public List<AddressAttention> attention = new ArrayList<>();
    @JsonPropertyDescription("Addresses needing a look that attention leaves out (it holds at most 50); absent when none.")
    public Integer attentionOmitted;
    @JsonPropertyDescription("Standard conditions: Ready, Exhausted.")
    public List<Condition> conditions = new ArrayList<>();
}
