package io.autoheal.cloud.aws;

import io.autoheal.cloud.ObservedAddress;
import io.autoheal.cloud.ObservedAsg;
import io.autoheal.cloud.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsRequest;
import software.amazon.awssdk.services.autoscaling.model.DescribeLifecycleHooksRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceStatusRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStatus;

/**
 * The inventory's bulk reads: one full refresh of a region costs a number of calls that depends on pages, not on
 * clusters — tag-filtered DescribeAutoScalingGroups (100 groups a page), DescribeInstances filtered by our group
 * names ({@value #FILTER_VALUES} names a call, 1,000 instances a page; terminated ones included), DescribeInstanceStatus
 * of every running instance (1,000 a page) and one DescribeAddresses for the whole region.
 */
@ApplicationScoped
public class RegionReader {
    /** EC2 accepts up to 200 values in one filter. */
    static final int FILTER_VALUES = 200;
    static final String LAUNCHING = "autoscaling:EC2_INSTANCE_LAUNCHING";
    private final AwsClients clients;
    private final Clock clock;
    private final java.util.Optional<String> shard;

    public RegionReader(AwsClients clients, Clock clock, io.autoheal.config.OperatorConfig config) {
        this.clients = clients;
        this.clock = clock;
        this.shard = config.shard().filter(s -> !s.isBlank());
    }

    public RegionSnapshot read(String region) {
        var now = clock.instant();
        Map<String, ObservedAsg> groups = new LinkedHashMap<>();
        // A shard reads only its own groups (tagged with its shard from the cluster's label); unsharded, every one of ours.
        var ours = shard.map(s -> software.amazon.awssdk.services.autoscaling.model.Filter.builder().name("tag:" + Tags.SHARD).values(s).build())
                .orElse(software.amazon.awssdk.services.autoscaling.model.Filter.builder().name("tag-key").values(Tags.CLUSTER).build());
        var request = DescribeAutoScalingGroupsRequest.builder().maxRecords(100).filters(ours).build();
        for (AutoScalingGroup g : clients.autoScaling(region).describeAutoScalingGroupsPaginator(request).autoScalingGroups()) {
            groups.put(g.autoScalingGroupName(), AwsModel.group(g, Set.of()));
        }
        List<Instance> instances = instances(region, List.copyOf(groups.keySet()));
        return new RegionSnapshot(now, groups, instances, statusChecks(region), addresses(region));
    }

    /** Every Elastic IP of the region, in one call (DescribeAddresses is not paginated). */
    public List<ObservedAddress> addresses(String region) {
        return clients.ec2(region).describeAddresses().addresses().stream().map(AwsModel::address).toList();
    }

    /** The launch lifecycle hooks of one group (AWS has no batch read for hooks: the inventory caches them). */
    public Set<String> launchHooks(String region, String asgName) {
        return clients.autoScaling(region).describeLifecycleHooks(DescribeLifecycleHooksRequest.builder().autoScalingGroupName(asgName).build())
                .lifecycleHooks().stream()
                .filter(h -> LAUNCHING.equals(h.lifecycleTransition()))
                .map(h -> h.lifecycleHookName()).collect(Collectors.toSet());
    }

    private List<Instance> instances(String region, List<String> groupNames) {
        List<Instance> out = new ArrayList<>();
        for (int i = 0; i < groupNames.size(); i += FILTER_VALUES) {
            var request = DescribeInstancesRequest.builder().maxResults(1000)
                    .filters(Filter.builder().name("tag:" + Tags.ASG_NAME)
                            .values(groupNames.subList(i, Math.min(groupNames.size(), i + FILTER_VALUES))).build())
                    .build();
            clients.ec2(region).describeInstancesPaginator(request).reservations().forEach(r -> out.addAll(r.instances()));
        }
        return out;
    }

    private Map<String, String> statusChecks(String region) {
        Map<String, String> out = new HashMap<>();
        var request = DescribeInstanceStatusRequest.builder().maxResults(1000).build();
        for (InstanceStatus s : clients.ec2(region).describeInstanceStatusPaginator(request).instanceStatuses()) {
            String worst = AwsModel.worst(s);
            if (worst != null) {
                out.put(s.instanceId(), worst);
            }
        }
        return out;
    }
}
