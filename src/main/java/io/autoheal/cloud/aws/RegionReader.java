package io.autoheal.cloud.aws;

import io.autoheal.fleet.AwsScope;
import io.autoheal.fleet.Installations;
import io.autoheal.fleet.ObservedAddress;
import io.autoheal.fleet.ObservedAsg;
import io.autoheal.fleet.Tags;
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
 * clusters — tag-filtered DescribeAutoScalingGroups (100 groups a page), tag-filtered DescribeInstances (1,000
 * instances a page; terminated ones included), DescribeInstanceStatus
 * of every running instance (1,000 a page), one DescribeAddresses for the whole region and one DescribeTargetHealth
 * per distinct target group the operator attached to its groups (spec.health.targetGroupArns).
 */
@ApplicationScoped
public class RegionReader {
    static final String LAUNCHING = "autoscaling:EC2_INSTANCE_LAUNCHING";
    /** The drain's hook (spec.drain) is read with the launch hook: both are the operator's lifecycle hooks. */
    static final String TERMINATING = "autoscaling:EC2_INSTANCE_TERMINATING";
    private final AwsClients clients;
    private final Clock clock;
    private final java.util.Optional<String> shard;
    private final String installation;
    private final TargetHealthReader targetHealth;

    public RegionReader(AwsClients clients, Clock clock, io.autoheal.config.OperatorConfig config) {
        this.clients = clients;
        this.targetHealth = new TargetHealthReader(clients);
        this.clock = clock;
        this.shard = config.shard().map(String::trim).filter(s -> !s.isBlank());
        this.installation = config.installationId();
    }

    public RegionSnapshot read(AwsScope scope) {
        var now = clock.instant();
        Map<String, ObservedAsg> groups = new LinkedHashMap<>();
        // A shard reads only its own groups (tagged with its shard from the cluster's label); unsharded, every one of ours.
        var ours = shard.map(s -> software.amazon.awssdk.services.autoscaling.model.Filter.builder().name("tag:" + Tags.SHARD).values(s).build())
                .orElse(software.amazon.awssdk.services.autoscaling.model.Filter.builder().name("tag-key").values(Tags.CLUSTER).build());
        // Instances before groups and their warm pools: a spare launched between the two reads is then either in neither or
        // known as a spare, never an instance of no warm pool (which a pool would give an address).
        List<Instance> instances = instances(scope);
        var request = DescribeAutoScalingGroupsRequest.builder().maxRecords(100).filters(ours).build();
        for (AutoScalingGroup g : clients.autoScaling(scope).describeAutoScalingGroupsPaginator(request).autoScalingGroups()) {
            // Another installation's groups (staging and production in one account) are not this operator's view: their
            // warm pools are never read.
            if (!Installations.owns(installation, AwsModel.tags(g))) {
                continue;
            }
            // A warm pool costs one DescribeWarmPool per group of ours that has one (AWS has no batch read of warm pools);
            // one that fails marks that group's spares unknown, never the region's snapshot. A pool made by hand is read
            // too: its spares must be known as spares (no Elastic IP), though nothing acts on them.
            groups.put(g.autoScalingGroupName(), AwsModel.group(g, Set.of(), AwsModel.warmPool(clients.autoScaling(scope), g)));
        }
        return new RegionSnapshot(now, groups, instances, statusChecks(scope), addresses(scope), targetHealth.read(scope, now, groups.values()));
    }

    /** Every Elastic IP of the region, in one call (DescribeAddresses is not paginated). */
    public List<ObservedAddress> addresses(AwsScope scope) {
        return clients.ec2(scope).describeAddresses().addresses().stream().map(AwsModel::address).toList();
    }

    /** The launch lifecycle hooks of one group (AWS has no batch read for hooks: the inventory caches them). */
    public Set<String> launchHooks(AwsScope scope, String asgName) {
        return clients.autoScaling(scope).describeLifecycleHooks(DescribeLifecycleHooksRequest.builder().autoScalingGroupName(asgName).build())
                .lifecycleHooks().stream()
                .filter(h -> LAUNCHING.equals(h.lifecycleTransition()) || TERMINATING.equals(h.lifecycleTransition()))
                .map(h -> h.lifecycleHookName()).collect(Collectors.toSet());
    }

    /**
     * Every instance tagged autoheal.io/cluster (any shard, any state) of this installation: a pool must see its clusters' machines even
     * when their group is not (yet) in this shard's list, or it would take their addresses away.
     */
    private List<Instance> instances(AwsScope scope) {
        List<Instance> out = new ArrayList<>();
        var request = DescribeInstancesRequest.builder().maxResults(1000)
                .filters(Filter.builder().name("tag-key").values(Tags.CLUSTER).build()).build();
        clients.ec2(scope).describeInstancesPaginator(request).reservations().forEach(r -> r.instances().stream()
                .filter(i -> Installations.owns(installation, i.tags().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value(), (x, y) -> y))))
                .forEach(out::add));
        return out;
    }

    private Map<String, String> statusChecks(AwsScope scope) {
        Map<String, String> out = new HashMap<>();
        var request = DescribeInstanceStatusRequest.builder().maxResults(1000).build();
        for (InstanceStatus s : clients.ec2(scope).describeInstanceStatusPaginator(request).instanceStatuses()) {
            String worst = AwsModel.worst(s);
            if (worst != null) {
                out.put(s.instanceId(), worst);
            }
        }
        return out;
    }
}
