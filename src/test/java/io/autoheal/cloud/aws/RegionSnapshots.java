package io.autoheal.cloud.aws;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStatus;
import io.autoheal.fleet.ObservedAsg;

/**
 * A {@link RegionSnapshot} from AWS answers that did not come over the wire (the bench's synthetic fleet): the same
 * mapping {@link RegionReader#read} applies to the pages it read, without the I/O. Lives here for the package-private
 * {@link AwsModel}; if RegionReader grows a pure "answers to snapshot" function, this should call it instead.
 */
public final class RegionSnapshots {
    private RegionSnapshots() {
    }

    public static RegionSnapshot of(Instant readAt, List<AutoScalingGroup> groups, List<Instance> instances, List<InstanceStatus> statuses,
                                    List<Address> addresses) {
        Map<String, ObservedAsg> observed = new LinkedHashMap<>();
        for (AutoScalingGroup g : groups) {
            observed.put(g.autoScalingGroupName(), AwsModel.group(g, Set.of()));
        }
        Map<String, String> checks = new HashMap<>();
        for (InstanceStatus s : statuses) {
            String worst = AwsModel.worst(s);
            if (worst != null) {
                checks.put(s.instanceId(), worst);
            }
        }
        return new RegionSnapshot(readAt, observed, instances, checks, addresses.stream().map(AwsModel::address).toList());
    }
}
