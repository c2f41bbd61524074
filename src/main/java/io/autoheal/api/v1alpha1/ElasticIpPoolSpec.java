package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "[has(self.addresses), has(self.selector), has(self.allocate)].filter(x, x).size() == 1",
        message = "spec: set exactly one address source: addresses, selector or allocate")
@ValidationRule(value = "has(self.region) == has(oldSelf.region) && (!has(self.region) || self.region == oldSelf.region)",
        message = "spec.region is immutable")
public class ElasticIpPoolSpec {
    @Pattern("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$")
    @JsonPropertyDescription("AWS region of the addresses. Defaults to the operator's configured region. Immutable.")
    public String region;

    @Size(min = 1, max = 256)
    @JsonPropertyDescription("Explicit allocation IDs of existing Elastic IPs (eipalloc-...).")
    public List<@Pattern("^eipalloc-[0-9a-f]{8,17}$") String> addresses;

    @Size(min = 1, max = 10)
    @JsonPropertyDescription("EC2 tags (key: value) that select existing Elastic IPs for this pool.")
    public Map<String, String> selector;

    @JsonPropertyDescription("The operator allocates this many Elastic IPs and tags them autoheal.io/pool=<namespace>/<name>.")
    public AllocateSpec allocate;

    @Default("Retain")
    @JsonPropertyDescription("For addresses the operator allocated: Retain (default) keeps them when the pool is deleted; Release releases those not associated.")
    public ReclaimPolicy reclaimPolicy = ReclaimPolicy.Retain;

    @Size(max = 64)
    @JsonPropertyDescription("If set, only HealingClusters with these names may take addresses from the pool.")
    public List<@Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$") String> allowedClusters;
}
