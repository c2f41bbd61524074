package io.autoheal.cloud.aws;

import io.autoheal.fleet.InstanceFlexibility;
import software.amazon.awssdk.services.autoscaling.model.CreateAutoScalingGroupRequest;
import software.amazon.awssdk.services.autoscaling.model.InstancesDistribution;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplate;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateOverrides;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.autoscaling.model.MixedInstancesPolicy;
import software.amazon.awssdk.services.autoscaling.model.UpdateAutoScalingGroupRequest;

/**
 * What a group launches from: its launch template alone, or — with ordered instance type alternatives — a mixed
 * instances policy (the template plus one override per type, in order; On-Demand "prioritized" and Spot
 * "capacity-optimized-prioritized" follow that order; the Spot share above no base capacity) with capacity rebalancing
 * as asked. An update that drops the alternatives sends the launch template alone, which replaces the policy.
 */
final class MixedInstances {
    private MixedInstances() {
    }

    static CreateAutoScalingGroupRequest.Builder launch(CreateAutoScalingGroupRequest.Builder b, String id, String version,
                                                        InstanceFlexibility f) {
        return f.mixed() ? b.mixedInstancesPolicy(policy(id, version, f)).capacityRebalance(f.capacityRebalance())
                : b.launchTemplate(template(id, version));
    }

    static UpdateAutoScalingGroupRequest.Builder launch(UpdateAutoScalingGroupRequest.Builder b, String id, String version,
                                                        InstanceFlexibility f) {
        return (f.mixed() ? b.mixedInstancesPolicy(policy(id, version, f)) : b.launchTemplate(template(id, version)))
                .capacityRebalance(f.capacityRebalance());
    }

    static MixedInstancesPolicy policy(String id, String version, InstanceFlexibility f) {
        return MixedInstancesPolicy.builder()
                .launchTemplate(LaunchTemplate.builder().launchTemplateSpecification(template(id, version))
                        .overrides(f.instanceTypes().stream().map(t -> LaunchTemplateOverrides.builder().instanceType(t).build()).toList())
                        .build())
                .instancesDistribution(InstancesDistribution.builder().onDemandAllocationStrategy("prioritized").onDemandBaseCapacity(0)
                        .onDemandPercentageAboveBaseCapacity(100 - f.spotPercentage())
                        .spotAllocationStrategy("capacity-optimized-prioritized").build())
                .build();
    }

    static LaunchTemplateSpecification template(String id, String version) {
        return LaunchTemplateSpecification.builder().launchTemplateId(id).version(version).build();
    }
}
