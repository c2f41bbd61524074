package io.autoheal.cloud.aws;

import io.autoheal.fleet.FleetInstance;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterface;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceAssociation;
import software.amazon.awssdk.services.ec2.model.Tag;

/** DescribeInstances answers as the port's {@link FleetInstance}. */
public final class FleetInstances {
    private FleetInstances() {
    }

    public static FleetInstance of(Instance i) {
        List<FleetInstance.PublicIp> ips = i.networkInterfaces().stream().flatMap(FleetInstances::associations)
                .map(a -> new FleetInstance.PublicIp(a.publicIp(), a.ipOwnerId())).toList();
        return new FleetInstance(i.instanceId(), i.state() == null ? null : i.state().nameAsString(),
                i.placement() == null ? null : i.placement().availabilityZone(), i.launchTime(),
                i.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value, (x, y) -> y)), ips);
    }

    public static List<FleetInstance> of(List<Instance> instances) {
        return instances.stream().map(FleetInstances::of).toList();
    }

    /** The public IP of the interface and of each of its private IPs. */
    private static Stream<InstanceNetworkInterfaceAssociation> associations(InstanceNetworkInterface ni) {
        return Stream.concat(Stream.ofNullable(ni.association()),
                ni.privateIpAddresses().stream().map(p -> p.association()).filter(Objects::nonNull));
    }
}
