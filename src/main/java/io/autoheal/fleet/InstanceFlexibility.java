package io.autoheal.fleet;

import java.util.List;

/**
 * How an Auto Scaling Group may launch other instance types than its launch template's: ordered alternatives (a mixed
 * instances policy, "prioritized": the first type AWS has capacity for), the Spot share of the capacity, and
 * capacity rebalancing. {@link #NONE}: the launch template's type only, On-Demand.
 */
public record InstanceFlexibility(List<String> instanceTypes, int spotPercentage, boolean capacityRebalance) {
    public static final InstanceFlexibility NONE = new InstanceFlexibility(List.of(), 0, false);

    public InstanceFlexibility {
        instanceTypes = instanceTypes == null ? List.of() : List.copyOf(instanceTypes);
    }

    /** Whether the group needs a mixed instances policy. */
    public boolean mixed() {
        return !instanceTypes.isEmpty();
    }
}
