package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

public class AllocateSpec {
    @Required
    @Min(1)
    @Max(100)
    @JsonPropertyDescription("Number of Elastic IPs to allocate (1-100). Raising it allocates more; lowering it releases nothing.")
    public int count;
}
