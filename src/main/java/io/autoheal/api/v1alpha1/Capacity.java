package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

@ValidationRule(value = "self.min <= self.desired && self.desired <= self.max",
        message = "spec.capacity: need min <= desired <= max")
public class Capacity {
    /** Upper bound on any size: a typo of 1000 instead of 10 should be rejected, not paid for. */
    public static final int MAX_SIZE = 500;

    @Required
    @Min(0)
    @Max(MAX_SIZE)
    @JsonPropertyDescription("Minimum size of the Auto Scaling Group.")
    public int min;

    @Required
    @Min(0)
    @Max(MAX_SIZE)
    @SpecReplicas
    @JsonPropertyDescription("Number of machines the cluster is kept at. Target of 'kubectl scale'.")
    public int desired;

    @Required
    @Min(0)
    @Max(MAX_SIZE)
    @JsonPropertyDescription("Maximum size of the Auto Scaling Group (at most 500).")
    public int max;

    public Capacity() {
    }

    public Capacity(int min, int desired, int max) {
        this.min = min;
        this.desired = desired;
        this.max = max;
    }
}
