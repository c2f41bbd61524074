package io.autoheal.cloud.aws;

import io.autoheal.cloud.ClusterObservation;
import io.autoheal.cloud.ObservedAddress;
import io.autoheal.cloud.ObservedAsg;
import io.autoheal.cloud.ObservedInstance;
import io.autoheal.cloud.Tags;
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
    private final AwsClients clients;

    public AwsFleetReader(AwsClients clients) {
        this.clients = clients;
    }

    public ClusterObservation observeCluster(String region, String asgName, boolean withLifecycleHooks) {
        Optional<ObservedAsg> asg = describeAsg(region, asgName, withLifecycleHooks);
        List<Instance> instances = describeInstances(region, asgName);
        List<String> live = instances.stream()
                .filter(i -> !"terminated".equals(i.state().nameAsString()))
                .map(Instance::instanceId).toList();
        Map<String, String> checks = statusChecks(region, live);
        Map<String, List<Address>> addresses = addressesByInstance(region, live);
        Map<String, ObservedInstance> observed = new LinkedHashMap<>();
        for (Instance i : instances) {
            Address a = primary(addresses.getOrDefault(i.instanceId(), List.of()), i.publicIpAddress());
            observed.put(i.instanceId(), new ObservedInstance(
                    i.instanceId(),
                    i.state().nameAsString(),
                    i.placement() == null ? null : i.placement().availabilityZone(),
                    i.privateIpAddress(),
                    i.publicIpAddress(),
                    i.launchTime(),
                    i.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value, (x, y) -> y)),
                    checks.get(i.instanceId()),
                    a == null ? null : new ObservedAddress(a.allocationId(), a.publicIp(), a.instanceId(), a.associationId(),
                            a.networkInterfaceId(), a.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value, (x, y) -> y)))));
        }
        return new ClusterObservation(asg, observed);
    }

    public Optional<ObservedAsg> describeAsg(String region, String asgName, boolean withLifecycleHooks) {
        var as = clients.autoScaling(region);
        List<AutoScalingGroup> groups = as.describeAutoScalingGroups(
                DescribeAutoScalingGroupsRequest.builder().autoScalingGroupNames(asgName).build()).autoScalingGroups();
        if (groups.isEmpty()) {
            return Optional.empty();
        }
        AutoScalingGroup g = groups.get(0);
        Set<String> hooks = Set.of();
        if (withLifecycleHooks) {
            hooks = as.describeLifecycleHooks(DescribeLifecycleHooksRequest.builder().autoScalingGroupName(asgName).build())
                    .lifecycleHooks().stream()
                    .filter(h -> "autoscaling:EC2_INSTANCE_LAUNCHING".equals(h.lifecycleTransition()))
                    .map(h -> h.lifecycleHookName()).collect(Collectors.toSet());
        }
        var lt = g.launchTemplate();
        List<String> subnets = g.vpcZoneIdentifier() == null || g.vpcZoneIdentifier().isBlank()
                ? List.of() : List.of(g.vpcZoneIdentifier().split(","));
        return Optional.of(new ObservedAsg(
                g.autoScalingGroupName(), g.minSize(), g.desiredCapacity(), g.maxSize(),
                lt == null ? null : lt.launchTemplateId(), lt == null ? null : lt.version(),
                subnets.stream().map(String::trim).sorted().toList(),
                g.tags().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value(), (x, y) -> y)),
                g.suspendedProcesses().stream().map(p -> p.processName()).collect(Collectors.toSet()),
                hooks,
                g.status() != null && g.status().startsWith("Delete"),
                g.instances().stream().map(m -> new ObservedAsg.AsgMember(
                        m.instanceId(), m.lifecycleStateAsString(), m.healthStatus(), m.availabilityZone(),
                        m.launchTemplate() == null ? null : m.launchTemplate().version())).toList()));
    }

    private List<Instance> describeInstances(String region, String asgName) {
        var request = DescribeInstancesRequest.builder()
                .filters(Filter.builder().name("tag:" + Tags.ASG_NAME).values(asgName).build())
                .build();
        List<Instance> out = new ArrayList<>();
        clients.ec2(region).describeInstancesPaginator(request).reservations().forEach(r -> out.addAll(r.instances()));
        return out;
    }

    private Map<String, String> statusChecks(String region, List<String> ids) {
        Map<String, String> out = new HashMap<>();
        for (List<String> chunk : chunks(ids)) {
            var request = DescribeInstanceStatusRequest.builder().instanceIds(chunk).includeAllInstances(true).build();
            for (InstanceStatus s : clients.ec2(region).describeInstanceStatusPaginator(request).instanceStatuses()) {
                out.put(s.instanceId(), worst(s));
            }
        }
        return out;
    }

    /** EC2 reports system and instance checks separately; one impaired check makes the machine impaired. */
    private static String worst(InstanceStatus s) {
        String system = s.systemStatus() == null ? null : s.systemStatus().statusAsString();
        String instance = s.instanceStatus() == null ? null : s.instanceStatus().statusAsString();
        for (String v : List.of("impaired", "initializing", "insufficient-data", "ok", "not-applicable")) {
            if (v.equals(system) || v.equals(instance)) {
                return v;
            }
        }
        return null;
    }

    private Map<String, List<Address>> addressesByInstance(String region, List<String> ids) {
        Map<String, List<Address>> out = new HashMap<>();
        for (List<String> chunk : chunks(ids)) {
            var request = DescribeAddressesRequest.builder()
                    .filters(Filter.builder().name("instance-id").values(chunk).build()).build();
            for (Address a : clients.ec2(region).describeAddresses(request).addresses()) {
                if (a.instanceId() != null && !a.instanceId().isBlank()) {
                    out.computeIfAbsent(a.instanceId(), k -> new ArrayList<>()).add(a);
                }
            }
        }
        return out;
    }

    /** Of the Elastic IPs on one machine, the one that is its public IP (primary interface), else the lowest id. */
    static Address primary(List<Address> onInstance, String instancePublicIp) {
        return onInstance.stream()
                .min(Comparator.comparing((Address a) -> !Objects.equals(a.publicIp(), instancePublicIp))
                        .thenComparing(Address::allocationId))
                .orElse(null);
    }

    static List<List<String>> chunks(List<String> ids) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += CHUNK) {
            out.add(ids.subList(i, Math.min(ids.size(), i + CHUNK)));
        }
        return out;
    }
}
