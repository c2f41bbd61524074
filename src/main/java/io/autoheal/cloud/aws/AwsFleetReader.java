package io.autoheal.cloud.aws;

import io.autoheal.fleet.AwsScope;
import io.autoheal.fleet.ClusterObservation;
import io.autoheal.fleet.ObservedAddress;
import io.autoheal.fleet.ObservedAsg;
import io.autoheal.fleet.ObservedInstance;
import io.autoheal.fleet.ScalingActivity;
import io.autoheal.fleet.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsRequest;
import software.amazon.awssdk.services.autoscaling.model.DescribeLifecycleHooksRequest;
import software.amazon.awssdk.services.autoscaling.model.DescribeScalingActivitiesRequest;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.DescribeAddressesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceStatusRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStatus;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Reads one cluster's ASG, instances, status checks and addresses with a constant number of batched,
 * paginated, tag-filtered calls (chunks of {@value #CHUNK} ids): never one call per instance.
 */
@ApplicationScoped
public class AwsFleetReader {
    static final int CHUNK = 100;
    /** Newest activities read for a group in transition (one page, no pagination: older ones say nothing new). */
    static final int ACTIVITIES = 20;
    /**
     * A group's own read follows the operator's own write or a group in transition (a replacement in flight): it may
     * take the request budget's last read tokens, ahead of the region's bulk refresh.
     */
    private static final software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration PRIORITY = AwsRateBudgets.PRIORITY_READ;
    private final AwsClients clients;

    public AwsFleetReader(AwsClients clients) {
        this.clients = clients;
    }

    public ClusterObservation observeCluster(AwsScope scope, String asgName, boolean withLifecycleHooks) {
        return readGroup(scope, asgName, withLifecycleHooks).observation();
    }

    /** One group's targeted read: what a cluster sees, and its instances as EC2 answered (for the pools). */
    public record GroupRead(ClusterObservation observation, List<Instance> instances) {
    }

    public GroupRead readGroup(AwsScope scope, String asgName, boolean withLifecycleHooks) {
        // Instances first, then the group with its warm pool: a spare launched in between is not mistaken for a lone instance.
        List<Instance> instances = describeInstances(scope, asgName);
        Optional<ObservedAsg> asg = describeAsg(scope, asgName, withLifecycleHooks);
        List<String> live = instances.stream()
                .filter(i -> !"terminated".equals(i.state().nameAsString()))
                .map(Instance::instanceId).toList();
        Map<String, String> checks = statusChecks(scope, live);
        Map<String, List<ObservedAddress>> addresses = addressesByInstance(scope, live);
        Map<String, ObservedInstance> observed = new LinkedHashMap<>();
        for (Instance i : instances) {
            ObservedAddress a = RegionSnapshot.primary(addresses.getOrDefault(i.instanceId(), List.of()), i.publicIpAddress());
            observed.put(i.instanceId(), AwsModel.instance(i, checks.get(i.instanceId()), a));
        }
        ClusterObservation observation = new ClusterObservation(asg, observed);
        if (asg.isPresent() && !FleetInventory.settled(observation)) {
            // short of desired or in transition: why a launch fails is worth its one call; a settled group never pays it
            observation = new ClusterObservation(asg, observed, launchActivities(scope, asgName));
        }
        return new GroupRead(observation, instances);
    }

    /** The group's newest scaling activities (newest first): enough to reach the last successful launch. */
    List<ScalingActivity> launchActivities(AwsScope scope, String asgName) {
        var request = DescribeScalingActivitiesRequest.builder().autoScalingGroupName(asgName).maxRecords(ACTIVITIES)
                .overrideConfiguration(PRIORITY).build();
        return clients.autoScaling(scope).describeScalingActivities(request).activities().stream()
                .map(a -> new ScalingActivity(a.activityId(), a.description(), a.statusCodeAsString(), a.statusMessage(), a.startTime(),
                        a.endTime()))
                .toList();
    }

    public Optional<ObservedAsg> describeAsg(AwsScope scope, String asgName, boolean withLifecycleHooks) {
        var as = clients.autoScaling(scope);
        List<AutoScalingGroup> groups = as.describeAutoScalingGroups(
                DescribeAutoScalingGroupsRequest.builder().autoScalingGroupNames(asgName).overrideConfiguration(PRIORITY).build()).autoScalingGroups();
        if (groups.isEmpty()) {
            return Optional.empty();
        }
        Set<String> hooks = Set.of();
        if (withLifecycleHooks) {
            hooks = as.describeLifecycleHooks(DescribeLifecycleHooksRequest.builder().autoScalingGroupName(asgName).overrideConfiguration(PRIORITY).build())
                    .lifecycleHooks().stream()
                    .filter(h -> RegionReader.LAUNCHING.equals(h.lifecycleTransition()) || RegionReader.TERMINATING.equals(h.lifecycleTransition()))
                    .map(h -> h.lifecycleHookName()).collect(Collectors.toSet());
        }
        return Optional.of(AwsModel.group(groups.get(0), hooks, AwsModel.warmPool(as, groups.get(0))));
    }

    private List<Instance> describeInstances(AwsScope scope, String asgName) {
        var request = DescribeInstancesRequest.builder().overrideConfiguration(PRIORITY)
                .filters(Filter.builder().name("tag:" + Tags.ASG_NAME).values(asgName).build())
                .build();
        List<Instance> out = new ArrayList<>();
        clients.ec2(scope).describeInstancesPaginator(request).reservations().forEach(r -> out.addAll(r.instances()));
        return out;
    }

    private Map<String, String> statusChecks(AwsScope scope, List<String> ids) {
        Map<String, String> out = new HashMap<>();
        for (List<String> chunk : chunks(ids)) {
            var request = DescribeInstanceStatusRequest.builder().instanceIds(chunk).includeAllInstances(true).overrideConfiguration(PRIORITY).build();
            try {
                for (InstanceStatus s : clients.ec2(scope).describeInstanceStatusPaginator(request).instanceStatuses()) {
                    out.put(s.instanceId(), AwsModel.worst(s));
                }
            } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
                if (!AwsErrors.errorCode(e).startsWith("InvalidInstanceID.NotFound")) {
                    throw e;
                }
                // An instance launched a moment ago may not be known to every EC2 endpoint yet (eventual consistency):
                // its checks are unknown this pass, which is no reason to fail the cluster's whole read.
            }
        }
        return out;
    }

    private Map<String, List<ObservedAddress>> addressesByInstance(AwsScope scope, List<String> ids) {
        Map<String, List<ObservedAddress>> out = new HashMap<>();
        for (List<String> chunk : chunks(ids)) {
            var request = DescribeAddressesRequest.builder().overrideConfiguration(PRIORITY)
                    .filters(Filter.builder().name("instance-id").values(chunk).build()).build();
            for (Address a : clients.ec2(scope).describeAddresses(request).addresses()) {
                if (a.instanceId() != null && !a.instanceId().isBlank()) {
                    out.computeIfAbsent(a.instanceId(), k -> new ArrayList<>()).add(AwsModel.address(a));
                }
            }
        }
        return out;
    }

    static List<List<String>> chunks(List<String> ids) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += CHUNK) {
            out.add(ids.subList(i, Math.min(ids.size(), i + CHUNK)));
        }
        return out;
    }
}
