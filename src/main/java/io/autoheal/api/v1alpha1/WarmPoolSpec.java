package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/**
 * Warm spares: an Auto Scaling warm pool of exactly {@link #size} instances beyond desired capacity, each bootstrapped
 * while it waits, so a replacement enters service already configured.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WarmPoolSpec {
    @Required
    @Min(0)
    @Max(Capacity.MAX_SIZE)
    @JsonPropertyDescription("Spares kept beyond spec.capacity.desired (the warm pool's exact size: its MinSize and MaxGroupPreparedCapacity). "
            + "Each spare runs its bootstrap while it is warmed (held in Warmed:Pending:Wait by the launch hook), then waits in "
            + "spec.warmPool.state; a replacement or a scale-out takes a spare and is Ready without a new bootstrap job. 0 keeps "
            + "the pool empty.")
    public int size;

    @Default("Stopped")
    @JsonPropertyDescription("What a bootstrapped spare waits as: Stopped (default; pays only for its volumes), Running (fastest to serve, "
            + "billed as running) or Hibernated (memory kept; the launch template must enable hibernation).")
    public WarmPoolState state = WarmPoolState.Stopped;

    public WarmPoolSpec() {
    }

    public WarmPoolSpec(int size, WarmPoolState state) {
        this.size = size;
        this.state = state;
    }
}
