package io.autoheal.cloud.aws;

import io.autoheal.fleet.ClusterObservation;
import io.autoheal.fleet.ObservedAddress;
import io.autoheal.fleet.ObservedAsg;
import io.autoheal.fleet.ObservedInstance;
import io.autoheal.fleet.Tags;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Everything the operator owns in one region, as one full refresh of the inventory read it: its Auto Scaling Groups
 * (lifecycle hooks are cached apart), their instances (terminated ones included, as EC2 lists them for about an
 * hour), the status checks of running instances, and every Elastic IP of the region. Immutable; the joins a cluster
 * or a pool needs are computed here, without I/O, from indexes built once per refresh.
 */
public final class RegionSnapshot {
    private final Instant readAt;
    private final Map<String, ObservedAsg> groups;
    private final Map<String, Instance> instances;
    private final Map<String, String> checks;
    private final List<ObservedAddress> addresses;
    private final io.autoheal.fleet.ObservedTargetHealth targetHealth;
    private final Map<String, List<Instance>> instancesByGroup = new HashMap<>();
    private final Map<String, List<Instance>> instancesByCluster = new HashMap<>();
    private final Map<String, List<ObservedAddress>> addressesByInstance = new HashMap<>();

    public RegionSnapshot(Instant readAt, Map<String, ObservedAsg> groups, Collection<Instance> instances, Map<String, String> checks,
                          List<ObservedAddress> addresses) {
        this(readAt, groups, instances, checks, addresses, io.autoheal.fleet.ObservedTargetHealth.NONE);
    }

    public RegionSnapshot(Instant readAt, Map<String, ObservedAsg> groups, Collection<Instance> instances, Map<String, String> checks,
                          List<ObservedAddress> addresses, io.autoheal.fleet.ObservedTargetHealth targetHealth) {
        this.readAt = readAt;
        this.targetHealth = targetHealth;
        this.groups = Map.copyOf(groups);
        Map<String, Instance> byId = new LinkedHashMap<>();
        instances.forEach(i -> byId.put(i.instanceId(), i));
        this.instances = byId;
        this.checks = Map.copyOf(checks);
        this.addresses = List.copyOf(addresses);
        for (Instance i : byId.values()) {
            tag(i, Tags.ASG_NAME).ifPresent(g -> instancesByGroup.computeIfAbsent(g, k -> new ArrayList<>()).add(i));
            tag(i, Tags.CLUSTER).ifPresent(c -> instancesByCluster.computeIfAbsent(c, k -> new ArrayList<>()).add(i));
        }
        for (ObservedAddress a : this.addresses) {
            if (a.instanceId() != null) {
                addressesByInstance.computeIfAbsent(a.instanceId(), k -> new ArrayList<>()).add(a);
            }
        }
    }

    public Instant readAt() {
        return readAt;
    }

    /** The same groups and instances with the region's addresses as read later (after an address write). */
    public RegionSnapshot withAddresses(List<ObservedAddress> fresh) {
        return new RegionSnapshot(readAt, groups, instances.values(), checks, fresh, targetHealth);
    }

    /** The target health of the target groups the operator attached to its groups, as this refresh read it. */
    public io.autoheal.fleet.ObservedTargetHealth targetHealth() {
        return targetHealth;
    }

    public Optional<ObservedAsg> group(String asgName) {
        return Optional.ofNullable(groups.get(asgName));
    }

    public Set<String> groupNames() {
        return groups.keySet();
    }

    /**
     * One cluster's view: its group (with the given hooks) and the instances tagged with the group's name, each
     * with its status check and Elastic IP. Empty when the group is not in this snapshot.
     */
    public Optional<ClusterObservation> cluster(String asgName, Set<String> launchHooks) {
        ObservedAsg g = groups.get(asgName);
        if (g == null) {
            return Optional.empty();
        }
        ObservedAsg withHooks = new ObservedAsg(g.name(), g.min(), g.desired(), g.max(), g.launchTemplateId(), g.launchTemplateVersion(),
                g.subnetIds(), g.tags(), g.suspendedProcesses(), launchHooks, g.deleting(), g.members(), g.flexibility(),
                g.targetGroupArns(), g.warmPool());
        Map<String, ObservedInstance> observed = new LinkedHashMap<>();
        for (Instance i : instancesByGroup.getOrDefault(asgName, List.of())) {
            observed.put(i.instanceId(), observe(i));
        }
        return Optional.of(new ClusterObservation(Optional.of(withHooks), observed));
    }

    /** Whether every member the group lists has its EC2 record here (an adopted group's old instances may not). */
    public boolean complete(String asgName) {
        ObservedAsg g = groups.get(asgName);
        if (g == null) {
            return false;
        }
        Set<String> known = instancesByGroup.getOrDefault(asgName, List.of()).stream().map(Instance::instanceId).collect(Collectors.toSet());
        return g.members().stream().allMatch(m -> known.contains(m.instanceId()));
    }

    /** The group an instance was launched by (its aws:autoscaling:groupName tag), if this snapshot has it. */
    public Optional<String> groupOf(String instanceId) {
        Instance i = instances.get(instanceId);
        return i == null ? Optional.empty() : tag(i, Tags.ASG_NAME);
    }

    /** The cluster an instance is tagged with (autoheal.io/cluster), if this snapshot has it. */
    public Optional<String> clusterOfInstance(String instanceId) {
        Instance i = instances.get(instanceId);
        return i == null ? Optional.empty() : tag(i, Tags.CLUSTER);
    }

    /** Every Elastic IP of the region. */
    public List<ObservedAddress> addresses() {
        return addresses;
    }

    /** Instances tagged with one of these clusters (autoheal.io/cluster), in any state. */
    public List<Instance> clusterInstances(Collection<String> clusterKeys) {
        List<Instance> out = new ArrayList<>();
        // Warm spares are no machines of their cluster yet: no pool gives them an address (they get one on entering service).
        Set<String> spares = groups.values().stream().flatMap(g -> g.spares().stream()).map(ObservedAsg.AsgMember::instanceId)
                .collect(Collectors.toSet());
        clusterKeys.stream().distinct().forEach(k -> instancesByCluster.getOrDefault(k, List.of()).stream()
                .filter(i -> !spares.contains(i.instanceId()) && !tag(i, Tags.ASG_NAME).map(groups::get).map(g -> maybeSpare(i, g)).orElse(false))
                .forEach(out::add));
        return out;
    }

    /**
     * Whether an instance may be an unseen spare of its group: the group's warm pool could not be read and the group
     * does not list it as a member. Kept out of the pools' view like a known spare until a read says what it is.
     */
    static boolean maybeSpare(Instance i, ObservedAsg group) {
        return group.warmPool() != null && !group.warmPool().sparesKnown() && !"terminated".equals(i.state().nameAsString())
                && group.members().stream().noneMatch(m -> m.instanceId().equals(i.instanceId()));
    }

    private ObservedInstance observe(Instance i) {
        return AwsModel.instance(i, checks.get(i.instanceId()), primary(addressesByInstance.getOrDefault(i.instanceId(), List.of()),
                i.publicIpAddress()));
    }

    /**
     * The same view with each machine's Elastic IP taken from {@code addresses} (the region's, as last read): a view
     * kept since its read learns of the pool's associations made after it.
     */
    static ClusterObservation withEips(ClusterObservation observed, List<ObservedAddress> addresses) {
        Map<String, List<ObservedAddress>> byInstance = new HashMap<>();
        for (ObservedAddress a : addresses) {
            if (a.instanceId() != null && observed.instances().containsKey(a.instanceId())) {
                byInstance.computeIfAbsent(a.instanceId(), k -> new ArrayList<>()).add(a);
            }
        }
        return withEips(observed, id -> byInstance.getOrDefault(id, List.of()));
    }

    /** The same, with the addresses of each machine from an index (the snapshot's): a cluster's cost, not the region's. */
    static ClusterObservation withEips(ClusterObservation observed, java.util.function.Function<String, List<ObservedAddress>> addressesOf) {
        Map<String, ObservedInstance> out = new LinkedHashMap<>();
        observed.instances().forEach((id, i) -> out.put(id, new ObservedInstance(i.instanceId(), i.state(), i.zone(), i.privateIp(),
                i.publicIp(), i.launchTime(), i.tags(), i.statusCheck(), primary(addressesOf.apply(id), i.publicIp()))));
        return new ClusterObservation(observed.asg(), out, observed.activities());
    }

    /** The Elastic IPs associated with one instance, as this snapshot read them. */
    public List<ObservedAddress> addressesOf(String instanceId) {
        return addressesByInstance.getOrDefault(instanceId, List.of());
    }

    /** Of the Elastic IPs on one machine, the one that is its public IP (primary interface), else the lowest id. */
    static ObservedAddress primary(List<ObservedAddress> onInstance, String instancePublicIp) {
        return onInstance.stream()
                .min(Comparator.comparing((ObservedAddress a) -> !Objects.equals(a.publicIp(), instancePublicIp))
                        .thenComparing(ObservedAddress::allocationId))
                .orElse(null);
    }

    private static Optional<String> tag(Instance i, String key) {
        return i.tags().stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst();
    }
}
