package io.autoheal.cloud.aws;

import io.autoheal.fleet.InstanceFlexibility;
import io.autoheal.fleet.ObservedAddress;
import io.autoheal.fleet.ObservedAsg;
import io.autoheal.fleet.ObservedInstance;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStatus;
import software.amazon.awssdk.services.ec2.model.Tag;

/** AWS SDK answers mapped to the operator's own model, in one place for the full and the targeted reads. */
final class AwsModel {
    private AwsModel() {
    }

    static ObservedAsg group(AutoScalingGroup g, Set<String> launchHooks) {
        return group(g, launchHooks, null);
    }

    /**
     * The warm pool's configuration and spares (DescribeWarmPool, all pages); null when the group has none. A failed
     * DescribeWarmPool (AccessDenied, a throttle that outlived the SDK's retries) costs this group's spares only: the
     * pool is then {@link io.autoheal.fleet.ObservedWarmPool#unreadable}, its configuration (from the group) kept.
     */
    static io.autoheal.fleet.ObservedWarmPool warmPool(software.amazon.awssdk.services.autoscaling.AutoScalingClient as, AutoScalingGroup g) {
        if (g.warmPoolConfiguration() == null) {
            return null;
        }
        var c = g.warmPoolConfiguration();
        int minSize = c.minSize() == null ? 0 : c.minSize();
        List<ObservedAsg.AsgMember> spares = new java.util.ArrayList<>();
        String token = null;
        try {
            do {
                String next = token;
                var page = as.describeWarmPool(b -> b.autoScalingGroupName(g.autoScalingGroupName()).maxRecords(50).nextToken(next));
                page.instances().forEach(m -> spares.add(new ObservedAsg.AsgMember(m.instanceId(), m.lifecycleStateAsString(), m.healthStatus(),
                        m.availabilityZone(), m.launchTemplate() == null ? null : m.launchTemplate().version())));
                token = page.nextToken();
            } while (token != null && !token.isBlank());
        } catch (software.amazon.awssdk.core.exception.AbortedException e) {
            throw e; // the pass is being stopped: not this group's problem
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            String code = AwsErrors.errorCode(e);
            return io.autoheal.fleet.ObservedWarmPool.unreadable(minSize, c.maxGroupPreparedCapacity(), c.poolStateAsString(),
                    "DescribeWarmPool failed: " + (code.isEmpty() ? e.getClass().getSimpleName() : code));
        }
        return new io.autoheal.fleet.ObservedWarmPool(minSize, c.maxGroupPreparedCapacity(), c.poolStateAsString(), spares);
    }

    static ObservedAsg group(AutoScalingGroup g, Set<String> launchHooks, io.autoheal.fleet.ObservedWarmPool warmPool) {
        var mixed = g.mixedInstancesPolicy();
        var lt = g.launchTemplate() != null || mixed == null || mixed.launchTemplate() == null ? g.launchTemplate()
                : mixed.launchTemplate().launchTemplateSpecification();
        List<String> subnets = g.vpcZoneIdentifier() == null || g.vpcZoneIdentifier().isBlank()
                ? List.of() : List.of(g.vpcZoneIdentifier().split(","));
        return new ObservedAsg(
                g.autoScalingGroupName(), g.minSize(), g.desiredCapacity(), g.maxSize(),
                lt == null ? null : lt.launchTemplateId(), lt == null ? null : lt.version(),
                subnets.stream().map(String::trim).sorted().toList(),
                tags(g),
                g.suspendedProcesses().stream().map(p -> p.processName()).collect(Collectors.toSet()),
                launchHooks,
                g.status() != null && g.status().startsWith("Delete"),
                g.instances().stream().map(m -> new ObservedAsg.AsgMember(
                        m.instanceId(), m.lifecycleStateAsString(), m.healthStatus(), m.availabilityZone(),
                        m.launchTemplate() == null ? null : m.launchTemplate().version())).toList(),
                flexibility(g),
                g.targetGroupARNs(),
                warmPool);
    }

    /** The group's tags as a map (a repeated key: the last wins). */
    static java.util.Map<String, String> tags(AutoScalingGroup g) {
        return g.tags().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value(), (x, y) -> y));
    }

    /** A mixed instances policy as the operator writes it (overrides in order, Spot share); none: NONE. */
    static InstanceFlexibility flexibility(AutoScalingGroup g) {
        var mixed = g.mixedInstancesPolicy();
        if (mixed == null || mixed.launchTemplate() == null || !mixed.launchTemplate().hasOverrides()
                || mixed.launchTemplate().overrides().isEmpty()) {
            return InstanceFlexibility.NONE;
        }
        var d = mixed.instancesDistribution();
        int onDemand = d == null || d.onDemandPercentageAboveBaseCapacity() == null ? 100 : d.onDemandPercentageAboveBaseCapacity();
        return new InstanceFlexibility(mixed.launchTemplate().overrides().stream().map(o -> o.instanceType()).toList(), 100 - onDemand,
                Boolean.TRUE.equals(g.capacityRebalance()));
    }

    static ObservedInstance instance(Instance i, String statusCheck, ObservedAddress eip) {
        return new ObservedInstance(
                i.instanceId(),
                i.state().nameAsString(),
                i.placement() == null ? null : i.placement().availabilityZone(),
                i.privateIpAddress(),
                i.publicIpAddress(),
                i.launchTime(),
                i.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value, (x, y) -> y)),
                statusCheck,
                eip);
    }

    static ObservedAddress address(Address a) {
        return new ObservedAddress(a.allocationId(), a.publicIp(), a.instanceId(), a.associationId(), a.networkInterfaceId(),
                a.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value, (x, y) -> y)));
    }

    /** EC2 reports system and instance checks separately; one impaired check makes the machine impaired. */
    static String worst(InstanceStatus s) {
        String system = s.systemStatus() == null ? null : s.systemStatus().statusAsString();
        String instance = s.instanceStatus() == null ? null : s.instanceStatus().statusAsString();
        for (String v : List.of("impaired", "initializing", "insufficient-data", "ok", "not-applicable")) {
            if (v.equals(system) || v.equals(instance)) {
                return v;
            }
        }
        return null;
    }
}
