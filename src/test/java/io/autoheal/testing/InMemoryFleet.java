package io.autoheal.testing;

import io.autoheal.fleet.AwsScope;
import io.autoheal.fleet.ClusterObservation;
import io.autoheal.fleet.ObservedAddress;
import io.autoheal.fleet.ObservedAsg;
import io.autoheal.fleet.ObservedInstance;
import io.autoheal.fleet.Tags;
import io.autoheal.fleet.AddressSelector;
import io.autoheal.fleet.AddressWrites;
import io.autoheal.fleet.AsgAction;
import io.autoheal.fleet.FleetInstance;
import io.autoheal.fleet.GroupWrites;
import io.autoheal.fleet.InventoryReads;
import io.autoheal.fleet.LifecycleActions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One AWS region in memory behind the operator's ports, deterministic and driven by an injected clock: groups launch
 * instances up to their desired capacity (ids from a counter), a launch hook holds new machines in Pending:Wait until
 * CONTINUE or ABANDON (or its heartbeat timeout), terminations go through shutting-down to terminated, an address is
 * freed when its instance terminates, and AssociateAddress refuses an address in use (AllowReassociation=false).
 * Asynchronous AWS work (launches, terminations, deletions) happens in {@link #step()}, as a later AWS answer would show
 * it. {@link FleetFaults} makes any call fail with a given AWS error; {@link #calls} counts every port call.
 */
public final class InMemoryFleet implements InventoryReads, GroupWrites, LifecycleActions, AddressWrites {
    public static final String ACCOUNT = "123456789012";
    static final String REPLACE_UNHEALTHY = "ReplaceUnhealthy";
    private final Clock clock;
    public final FleetFaults faults = new FleetFaults();
    /** Launch template versions whose machines never boot (stay pending), like a broken AMI or user data. */
    public final Set<String> brokenVersions = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Operation name (as AWS calls it) to the number of calls the operator made. */
    public final Map<String, Integer> calls = new LinkedHashMap<>();
    final Map<String, Group> groups = new LinkedHashMap<>();
    final Map<String, Machine> machines = new LinkedHashMap<>();
    /** Indexes, so a fleet of thousands answers a cluster's or a pool's read without scanning everything. */
    private final Map<String, List<Machine>> byGroup = new java.util.HashMap<>();
    private final Map<String, List<Machine>> byCluster = new java.util.HashMap<>();
    final InMemoryAddresses addresses = new InMemoryAddresses(this::call,
            id -> machines.containsKey(id) && List.of("running", "stopped").contains(machines.get(id).state));
    int instanceCounter;

    public InMemoryFleet(Clock clock) {
        this.clock = clock;
    }

    static final class Group {
        final String name;
        int min;
        int desired;
        int max;
        String templateId;
        String templateVersion;
        List<String> subnets;
        final Map<String, String> tags = new LinkedHashMap<>();
        final Set<String> suspended = new HashSet<>();
        final Map<String, Duration> launchHooks = new LinkedHashMap<>();
        /** Terminating hooks (spec.drain): a termination waits in Terminating:Wait until CONTINUE/ABANDON or the timeout. */
        final Map<String, Duration> drainHooks = new LinkedHashMap<>();
        boolean deleting;
        final Map<String, Member> members = new LinkedHashMap<>();
        /** Attached ELBv2 target groups (spec.health.targetGroupArns), in attachment order. */
        final Set<String> targetGroups = new java.util.LinkedHashSet<>();
        /** Warm pool (PutWarmPool): its absolute size and state, null without one; its spares, not members, apart. */
        Integer warmSize;
        String warmState;
        final Map<String, Member> spares = new LinkedHashMap<>();

        Group(String name) {
            this.name = name;
        }
    }

    static final class Member {
        String lifecycle = "Pending";
        String health = "Healthy";
        final String zone;
        final String templateVersion;
        Instant waitingSince;

        Member(String zone, String templateVersion) {
            this.zone = zone;
            this.templateVersion = templateVersion;
        }
    }

    static final class Machine {
        final String id;
        String state = "pending";
        final String zone;
        final String privateIp;
        final String launchIp;
        final Instant launchTime;
        final Map<String, String> tags = new LinkedHashMap<>();
        String statusCheck = "initializing";

        Machine(String id, String zone, int n, Instant launchTime) {
            this.id = id;
            this.zone = zone;
            this.privateIp = "10.0." + (n / 250) + "." + (n % 250 + 4);
            this.launchIp = "54.0." + (n / 250) + "." + (n % 250 + 4);
            this.launchTime = launchTime;
        }

        /** A machine as it was saved ({@link FleetState}), with its addresses. */
        Machine(String id, String zone, String privateIp, String launchIp, Instant launchTime) {
            this.id = id;
            this.zone = zone;
            this.privateIp = privateIp;
            this.launchIp = launchIp;
            this.launchTime = launchTime;
        }
    }

    // ---- what AWS does on its own, between the operator's calls

    /** AWS' asynchronous work up to now: terminations end, groups fill to desired, launched machines boot. */
    public synchronized void step() {
        Instant now = clock.instant();
        for (Machine m : machines.values()) {
            if ("shutting-down".equals(m.state)) {
                terminated(m);
            }
        }
        for (Group g : List.copyOf(groups.values())) {
            g.members.entrySet().removeIf(e -> "Terminating".equals(e.getValue().lifecycle)
                    && "terminated".equals(machines.get(e.getKey()).state));
            if (g.deleting) {
                // ForceDelete: no lifecycle hook is waited for
                g.members.keySet().forEach(id -> terminateNow(g, id));
                if (g.members.isEmpty()) {
                    groups.remove(g.name);
                }
                continue;
            }
            for (var e : g.members.entrySet()) {
                Member member = e.getValue();
                Machine m = machines.get(e.getKey());
                if ("Pending".equals(member.lifecycle) && "pending".equals(m.state) && brokenVersions.contains(member.templateVersion)) {
                    continue; // a broken launch template version: its machines never boot
                }
                if ("Pending".equals(member.lifecycle) && "pending".equals(m.state)) {
                    m.state = "running";
                    m.statusCheck = "ok";
                    member.lifecycle = g.launchHooks.isEmpty() ? "InService" : "Pending:Wait";
                    member.waitingSince = now;
                } else if ("Terminating:Wait".equals(member.lifecycle)) {
                    Duration timeout = g.drainHooks.values().stream().min(Duration::compareTo).orElse(Duration.ZERO);
                    if (!member.waitingSince.plus(timeout).isAfter(now)) {
                        terminateNow(g, e.getKey()); // the hook's DefaultResult, CONTINUE: it leaves either way
                    }
                } else if ("Pending:Wait".equals(member.lifecycle)) {
                    Duration timeout = g.launchHooks.values().stream().min(Duration::compareTo).orElse(Duration.ZERO);
                    if (!member.waitingSince.plus(timeout).isAfter(now)) {
                        terminate(g, e.getKey()); // the hook's DefaultResult, ABANDON
                    }
                }
                boolean unhealthy = !"running".equals(m.state) && !"pending".equals(m.state) || "impaired".equals(m.statusCheck);
                if (unhealthy && "InService".equals(member.lifecycle)) {
                    member.health = "Unhealthy";
                    if (!g.suspended.contains(REPLACE_UNHEALTHY)) {
                        terminate(g, e.getKey());
                    }
                }
            }
            stepSpares(g, now);
            List<String> serving = g.members.entrySet().stream().filter(e -> !e.getValue().lifecycle.startsWith("Terminating"))
                    .map(Map.Entry::getKey).toList();
            for (int i = serving.size(); i < g.desired; i++) {
                launch(g, now);
            }
            for (int i = serving.size() - 1; i >= g.desired; i--) {
                terminate(g, serving.get(i)); // scale-in: the newest first
            }
        }
    }

    /** Spares boot into Warmed:Pending:Wait (a launch hook) or straight to the pool state; the pool refills to its size. */
    private void stepSpares(Group g, Instant now) {
        for (var e : List.copyOf(g.spares.entrySet())) {
            Member spare = e.getValue();
            Machine m = machines.get(e.getKey());
            if ("Warmed:Pending".equals(spare.lifecycle) && "pending".equals(m.state)) {
                m.state = "running";
                m.statusCheck = "ok";
                spare.waitingSince = now;
                if (g.launchHooks.isEmpty()) {
                    prepare(g, e.getKey());
                } else {
                    spare.lifecycle = "Warmed:Pending:Wait";
                }
            } else if ("Warmed:Pending:Wait".equals(spare.lifecycle)) {
                Duration timeout = g.launchHooks.values().stream().min(Duration::compareTo).orElse(Duration.ZERO);
                if (!spare.waitingSince.plus(timeout).isAfter(now)) {
                    dropSpare(g, e.getKey()); // the hook's DefaultResult, ABANDON
                }
            }
        }
        for (int i = g.spares.size(); g.warmSize != null && i < g.warmSize; i++) {
            Machine m = newMachine(g, now);
            Member spare = new Member(m.zone, g.templateVersion);
            spare.lifecycle = "Warmed:Pending";
            g.spares.put(m.id, spare);
        }
    }

    /** The pool state reached: stopped (or hibernated) unless the pool keeps its spares running. */
    private void prepare(Group g, String id) {
        g.spares.get(id).lifecycle = "Warmed:" + g.warmState;
        if (!"Running".equals(g.warmState)) {
            machines.get(id).state = "stopped";
            machines.get(id).statusCheck = null;
        }
    }

    private void dropSpare(Group g, String id) {
        g.spares.remove(id);
        Machine m = machines.get(id);
        if (!"terminated".equals(m.state)) {
            m.state = "shutting-down";
        }
    }

    private Machine newMachine(Group g, Instant now) {
        int n = ++instanceCounter;
        String id = String.format("i-%017x", n);
        Machine m = new Machine(id, leastUsedZone(g), n, now);
        m.tags.putAll(g.tags);
        m.tags.put(Tags.ASG_NAME, g.name);
        add(m);
        return m;
    }

    private void launch(Group g, Instant now) {
        // A prepared spare first (AWS takes from the warm pool on every launch): it starts again and passes the launch hook.
        var prepared = g.spares.entrySet().stream().filter(e -> e.getValue().lifecycle.equals("Warmed:" + g.warmState)).findFirst();
        if (prepared.isPresent()) {
            String id = prepared.get().getKey();
            Member member = new Member(prepared.get().getValue().zone, prepared.get().getValue().templateVersion);
            g.spares.remove(id);
            machines.get(id).state = "running";
            machines.get(id).statusCheck = "ok";
            member.lifecycle = g.launchHooks.isEmpty() ? "InService" : "Pending:Wait";
            member.waitingSince = now;
            g.members.put(id, member);
            return;
        }
        int n = ++instanceCounter;
        String id = String.format("i-%017x", n);
        String zone = leastUsedZone(g);
        Machine m = new Machine(id, zone, n, now);
        m.tags.putAll(g.tags);
        m.tags.put(Tags.ASG_NAME, g.name);
        add(m);
        g.members.put(id, new Member(zone, g.templateVersion));
    }

    void add(Machine m) {
        machines.put(m.id, m);
        byGroup.computeIfAbsent(m.tags.get(Tags.ASG_NAME), k -> new ArrayList<>()).add(m);
        if (m.tags.get(Tags.CLUSTER) != null) {
            byCluster.computeIfAbsent(m.tags.get(Tags.CLUSTER), k -> new ArrayList<>()).add(m);
        }
    }

    /** AWS balances a group's machines over the zones of its subnets. */
    private String leastUsedZone(Group g) {
        String best = null;
        long fewest = Long.MAX_VALUE;
        for (int i = 0; i < Math.max(1, g.subnets.size()); i++) {
            String zone = zoneOf(i);
            long used = g.members.values().stream().filter(m -> zone.equals(m.zone) && !m.lifecycle.startsWith("Terminating")).count();
            if (used < fewest) {
                best = zone;
                fewest = used;
            }
        }
        return best;
    }

    static String zoneOf(int subnetIndex) {
        return "us-east-1" + (char) ('a' + subnetIndex % 3);
    }

    /** A termination by the group: with a terminating hook the machine waits (still running) in Terminating:Wait. */
    private void terminate(Group g, String instanceId) {
        Member member = g.members.get(instanceId);
        if (!g.drainHooks.isEmpty() && !member.lifecycle.startsWith("Terminating") && !"terminated".equals(machines.get(instanceId).state)) {
            member.lifecycle = "Terminating:Wait";
            member.waitingSince = clock.instant();
            return;
        }
        terminateNow(g, instanceId);
    }

    /** Every lifecycle hook of the group, as DescribeLifecycleHooks lists them (launching and terminating). */
    private static Set<String> hookNames(Group g) {
        Set<String> names = new java.util.TreeSet<>(g.launchHooks.keySet());
        names.addAll(g.drainHooks.keySet());
        return Set.copyOf(names);
    }

    void dropSpareOf(Group g, String instanceId) {
        dropSpare(g, instanceId);
    }

    void terminateWaiting(Group g, String instanceId) {
        terminateNow(g, instanceId);
    }

    private void terminateNow(Group g, String instanceId) {
        g.members.get(instanceId).lifecycle = "Terminating";
        Machine m = machines.get(instanceId);
        if (!"terminated".equals(m.state)) {
            m.state = "shutting-down";
        }
    }

    private void terminated(Machine m) {
        m.state = "terminated";
        m.statusCheck = null;
        addresses.instanceTerminated(m.id);
    }

    // ---- what happens to machines behind the operator's back

    /** A machine stops (a hardware failure, a person): the group keeps it, unhealthy. */
    public synchronized void stop(String instanceId) {
        machines.get(instanceId).state = "stopped";
        machines.get(instanceId).statusCheck = null;
    }

    public synchronized void impair(String instanceId) {
        machines.get(instanceId).statusCheck = "impaired";
    }

    /** Someone terminates a machine with EC2: with ReplaceUnhealthy suspended, the group still counts it. */
    public synchronized void terminateOutsideGroup(String instanceId) {
        terminated(machines.get(instanceId));
    }

    /** An address the operator did not allocate, as a person would make one. */
    public synchronized String addAddress(Map<String, String> tags) {
        return addresses.create(tags).allocationId;
    }

    /** A person tags an address (e.g. adds it to a pool by its tag). */
    public synchronized void tagAddress(String allocationId, String key, String value) {
        addresses.tag(allocationId, key, value);
    }

    // ---- a fleet already running (the benchmark's thousands of machines), put in place without the launch steps

    /** A group at rest: its machines in service, ReplaceUnhealthy suspended as the operator keeps it. */
    public synchronized void seedGroup(String name, Map<String, String> tags, int desired, String templateId, String version, List<String> subnets) {
        Group g = new Group(name);
        g.min = desired;
        g.desired = desired;
        g.max = desired;
        g.templateId = templateId;
        g.templateVersion = version;
        g.subnets = List.copyOf(subnets);
        g.tags.putAll(tags);
        g.suspended.add(REPLACE_UNHEALTHY);
        groups.put(name, g);
    }

    /** A member of a seeded group, in service, in this EC2 state with this status check (null: none reported). */
    public synchronized void seedMachine(String group, String id, String zone, Instant launchTime, String state, String statusCheck) {
        Group g = groups.get(group);
        Machine m = new Machine(id, zone, machines.size(), launchTime);
        m.state = state;
        m.statusCheck = statusCheck;
        m.tags.putAll(g.tags);
        m.tags.put(Tags.ASG_NAME, group);
        add(m);
        Member member = new Member(zone, g.templateVersion);
        member.lifecycle = "InService";
        g.members.put(id, member);
    }

    /**
     * A warm pool put by a person (no operator mark), with {@code size} spares already prepared in {@code state}: as
     * on a group adopted with its hand-made pool.
     */
    public synchronized List<String> seedWarmPool(String group, int size, String state, Instant now) {
        Group g = groups.get(group);
        g.warmSize = size;
        g.warmState = state;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Machine m = newMachine(g, now);
            m.state = "Running".equals(state) ? "running" : "stopped";
            Member spare = new Member(m.zone, g.templateVersion);
            spare.lifecycle = "Warmed:" + state;
            g.spares.put(m.id, spare);
            ids.add(m.id);
        }
        return ids;
    }

    /** An address with these tags, associated with {@code instanceId} when it is not null. */
    public synchronized void seedAddress(String allocationId, String publicIp, String instanceId, Map<String, String> tags) {
        addresses.seed(allocationId, publicIp, instanceId, tags);
    }

    // ---- the reads port

    @Override
    public synchronized ClusterObservation observeCluster(AwsScope scope, String asgName, boolean gated) {
        in(scope);
        count("DescribeAutoScalingGroups");
        read(scope, "DescribeAutoScalingGroups");
        Optional<ObservedAsg> group = describe(asgName).filter(g -> visible(scope, asgName));
        Map<String, ObservedInstance> instances = new LinkedHashMap<>();
        byGroup.getOrDefault(visible(scope, asgName) ? asgName : "", List.of()).forEach(m -> instances.put(m.id, observed(m)));
        return new ClusterObservation(group, instances);
    }

    @Override
    public synchronized Optional<ObservedAsg> describeGroup(AwsScope scope, String asgName, boolean withLaunchHooks) {
        in(scope);
        count("DescribeAutoScalingGroups");
        read(scope, "DescribeAutoScalingGroups");
        return describe(asgName).filter(g -> visible(scope, asgName));
    }

    private Optional<ObservedAsg> describe(String asgName) {
        faults.check("DescribeAutoScalingGroups");
        Group g = groups.get(asgName);
        if (g == null) {
            return Optional.empty();
        }
        List<ObservedAsg.AsgMember> members = new ArrayList<>();
        g.members.forEach((id, m) -> members.add(new ObservedAsg.AsgMember(id, m.lifecycle, m.health, m.zone, m.templateVersion)));
        return Optional.of(new ObservedAsg(g.name, g.min, g.desired, g.max, g.templateId, g.templateVersion, List.copyOf(g.subnets),
                Map.copyOf(g.tags), Set.copyOf(g.suspended), hookNames(g), g.deleting, members, io.autoheal.fleet.InstanceFlexibility.NONE,
                List.copyOf(g.targetGroups), g.warmSize == null ? null : new io.autoheal.fleet.ObservedWarmPool(g.warmSize, g.warmSize, g.warmState,
                g.spares.entrySet().stream().map(e -> new ObservedAsg.AsgMember(e.getKey(), e.getValue().lifecycle, "Healthy", e.getValue().zone,
                        e.getValue().templateVersion)).toList())));
    }

    private ObservedInstance observed(Machine m) {
        ObservedAddress eip = Optional.ofNullable(addresses.on(m.id)).map(InMemoryAddresses::observed).orElse(null);
        String publicIp = "terminated".equals(m.state) ? null : eip != null ? eip.publicIp() : m.launchIp;
        return new ObservedInstance(m.id, m.state, m.zone, m.privateIp, publicIp, m.launchTime, Map.copyOf(m.tags), m.statusCheck, eip);
    }

    @Override
    public synchronized List<ObservedAddress> addresses(AwsScope scope, AddressSelector selector) {
        in(scope);
        count("DescribeAddresses");
        read(scope, "DescribeAddresses");
        faults.check("DescribeAddresses");
        return addresses.select(selector);
    }

    @Override
    public synchronized List<FleetInstance> clusterInstances(AwsScope scope, Collection<String> clusterKeys) {
        in(scope);
        count("DescribeInstances");
        read(scope, "DescribeInstances");
        faults.check("DescribeInstances");
        Set<String> spares = groups.values().stream().flatMap(g -> g.spares.keySet().stream()).collect(java.util.stream.Collectors.toSet());
        return clusterKeys.stream().distinct().flatMap(k -> byCluster.getOrDefault(k, List.of()).stream())
                .filter(m -> !spares.contains(m.id)).map(m -> {
            ObservedInstance o = observed(m);
            List<FleetInstance.PublicIp> ips = o.publicIp() == null ? List.of()
                    : List.of(new FleetInstance.PublicIp(o.publicIp(), o.eip() != null ? ACCOUNT : FleetInstance.PublicIp.AMAZON));
            return new FleetInstance(m.id, m.state, m.zone, m.launchTime, m.tags, ips);
        }).toList();
    }

    private void count(String operation) {
        calls.merge(operation, 1, Integer::sum);
    }

    /** Calls of these operations so far. */
    public synchronized int calls(String... operations) {
        return List.of(operations).stream().mapToInt(o -> calls.getOrDefault(o, 0)).sum();
    }

    // ---- the group writes and lifecycle ports: InMemoryGroupWrites keeps them apart from the reads

    private final InMemoryGroupWrites writes = new InMemoryGroupWrites(this);

    @Override
    public synchronized void apply(AwsScope scope, AsgAction action) {
        in(scope);
        wrote(scope, "apply", action.asgName(), action.asgName());
        writes.apply(action);
        if (action instanceof AsgAction.Create c) {
            groupAccounts.put(c.asgName(), scope.account());
        }
    }

    @Override
    public synchronized void replaceInstance(AwsScope scope, String instanceId) {
        in(scope);
        wrote(scope, "replaceInstance", instanceId, groupOfMachine(instanceId));
        call("TerminateInstanceInAutoScalingGroup");
        Optional<Group> warm = groups.values().stream().filter(x -> x.spares.containsKey(instanceId)).findFirst();
        if (warm.isPresent()) {
            dropSpare(warm.get(), instanceId);
            return;
        }
        Group g = groups.values().stream().filter(x -> x.members.containsKey(instanceId)).findFirst()
                .orElseThrow(() -> FleetFaults.error("ValidationError", 400, "Instance Id not found - No managed instance found for instance ID " + instanceId));
        terminate(g, instanceId);
    }

    @Override
    public synchronized void delete(AwsScope scope, String asgName, boolean force) {
        in(scope);
        wrote(scope, "delete", asgName, asgName);
        call("DeleteAutoScalingGroup");
        Group g = groups.get(asgName);
        if (g != null && !force && !g.members.isEmpty()) {
            throw FleetFaults.error("ResourceInUse", 400, "You cannot delete an AutoScalingGroup while there are instances or pending Spot "
                    + "instance request(s) still in the group.");
        }
        Optional.ofNullable(g).ifPresent(x -> x.deleting = true);
    }

    @Override
    public synchronized List<String> groupsOf(AwsScope scope, String clusterKey, String installation) {
        in(scope);
        return groups.values().stream().filter(g -> visible(scope, g.name) && clusterKey.equals(g.tags.get(io.autoheal.fleet.Tags.CLUSTER))
                && io.autoheal.fleet.Installations.owns(installation, g.tags)).map(g -> g.name).sorted().toList();
    }

    @Override
    public synchronized void untag(AwsScope scope, String asgName, List<String> keys) {
        in(scope);
        wrote(scope, "untag", asgName, asgName);
        call("DeleteTags");
        Optional.ofNullable(groups.get(asgName)).ifPresent(g -> keys.forEach(g.tags::remove));
    }

    @Override
    public synchronized Map<String, Map<String, String>> disownInstances(AwsScope scope, List<String> instanceIds, String clusterKey,
                                                                          String orphanedFrom) {
        in(scope);
        wrote(scope, "disownInstances", String.join(",", instanceIds), instanceIds.isEmpty() ? null : groupOfMachine(instanceIds.get(0)));
        call("CreateTags");
        call("DeleteTags");
        call("DescribeInstances");
        Map<String, Map<String, String>> readBack = new java.util.TreeMap<>();
        for (String id : instanceIds) {
            Optional.ofNullable(machines.get(id)).ifPresent(m -> {
                m.tags.put(io.autoheal.fleet.Tags.ORPHANED_FROM, orphanedFrom);
                m.tags.remove(io.autoheal.fleet.Tags.CLUSTER, clusterKey);
                readBack.put(id, Map.copyOf(m.tags));
            });
        }
        return readBack;
    }

    @Override
    public synchronized void tagInstance(AwsScope scope, String instanceId, String key, String value) {
        in(scope);
        wrote(scope, "tagInstance", instanceId, groupOfMachine(instanceId));
        call("CreateTags");
        Optional.ofNullable(machines.get(instanceId)).ifPresent(m -> m.tags.put(key, value));
    }

    @Override
    public synchronized void completeLaunch(AwsScope scope, String asgName, String instanceId, boolean proceed) {
        in(scope);
        wrote(scope, "completeLaunch", instanceId, asgName);
        call("CompleteLifecycleAction");
        Group warm = groups.get(asgName);
        Member spare = warm == null ? null : warm.spares.get(instanceId);
        if (spare != null && "Warmed:Pending:Wait".equals(spare.lifecycle)) {
            if (proceed) {
                prepare(warm, instanceId);
            } else {
                dropSpare(warm, instanceId);
            }
            return;
        }
        Member m = waiting(asgName, instanceId);
        if (proceed) {
            m.lifecycle = "InService";
        } else {
            terminate(groups.get(asgName), instanceId);
        }
    }

    @Override
    public synchronized void heartbeat(AwsScope scope, String asgName, String instanceId) {
        in(scope);
        wrote(scope, "heartbeat", instanceId, asgName);
        call("RecordLifecycleActionHeartbeat");
        waiting(asgName, instanceId).waitingSince = clock.instant();
    }

    @Override
    public synchronized void setDesired(AwsScope scope, String asgName, int desired) {
        in(scope);
        wrote(scope, "setDesired", asgName, asgName);
        call("SetDesiredCapacity");
        Group g = groups.get(asgName);
        if (g == null) {
            throw FleetFaults.error("ValidationError", 400, "AutoScalingGroup name not found - " + asgName);
        }
        if (desired < g.min || desired > g.max) {
            throw FleetFaults.error("ValidationError", 400, "New SetDesiredCapacity value " + desired + " is outside the group's bounds");
        }
        g.desired = desired;
    }

    @Override
    public synchronized void removeInstance(AwsScope scope, String instanceId) {
        in(scope);
        wrote(scope, "removeInstance", instanceId, groupOfMachine(instanceId));
        call("TerminateInstanceInAutoScalingGroup");
        Optional<Group> warm = groups.values().stream().filter(x -> x.spares.containsKey(instanceId)).findFirst();
        if (warm.isPresent()) {
            dropSpare(warm.get(), instanceId);
            return;
        }
        Group g = groups.values().stream().filter(x -> x.members.containsKey(instanceId)).findFirst()
                .orElseThrow(() -> FleetFaults.error("ValidationError", 400, "Instance Id not found - No managed instance found for instance ID " + instanceId));
        if (g.desired <= g.min) {
            throw FleetFaults.error("ValidationError", 400, "Currently, desiredSize equals minSize (" + g.min
                    + "). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.");
        }
        g.desired--;
        terminate(g, instanceId);
    }

    @Override
    public synchronized void completeDrain(AwsScope scope, String asgName, String instanceId) {
        in(scope);
        wrote(scope, "completeDrain", instanceId, asgName);
        call("CompleteLifecycleAction");
        terminateNow(groups.get(asgName), draining(asgName, instanceId));
    }

    @Override
    public synchronized void drainHeartbeat(AwsScope scope, String asgName, String instanceId) {
        in(scope);
        wrote(scope, "drainHeartbeat", instanceId, asgName);
        call("RecordLifecycleActionHeartbeat");
        groups.get(asgName).members.get(draining(asgName, instanceId)).waitingSince = clock.instant();
    }

    private String draining(String asgName, String instanceId) {
        Group g = groups.get(asgName);
        Member m = g == null ? null : g.members.get(instanceId);
        if (m == null || !"Terminating:Wait".equals(m.lifecycle)) {
            throw FleetFaults.error("ValidationError", 400, "No active Lifecycle Action found with instance ID " + instanceId);
        }
        return instanceId;
    }

    private Member waiting(String asgName, String instanceId) {
        Group g = groups.get(asgName);
        Member m = g == null ? null : g.members.get(instanceId);
        if (m == null || !"Pending:Wait".equals(m.lifecycle)) {
            throw FleetFaults.error("ValidationError", 400, "No active Lifecycle Action found with instance ID " + instanceId);
        }
        return m;
    }

    /** Port calls per AWS account ({@link AwsScope#account()}): which identity the operator acted with. */
    public final Map<String, Integer> callsByAccount = new LinkedHashMap<>();
    /** The account each group was created in: a group is visible only to calls made with that account (a seeded one to all). */
    private final Map<String, String> groupAccounts = new java.util.HashMap<>();

    private void in(AwsScope scope) {
        callsByAccount.merge(scope.account(), 1, Integer::sum);
    }

    private boolean visible(AwsScope scope, String asgName) {
        String account = groupAccounts.get(asgName);
        return account == null || account.equals(scope.account());
    }

    /** Calls made with this account ({@link AwsScope#account()}, "own" for the operator's own identity). */
    public synchronized int callsIn(String account) {
        return callsByAccount.getOrDefault(account, 0);
    }

    /** Reads per region (the fleet is one region in memory; the region a call names is counted, and may be failing). */
    public final Map<String, Integer> regionReads = new LinkedHashMap<>();

    private void read(AwsScope scope, String operation) {
        regionReads.merge(String.valueOf(scope), 1, Integer::sum);
        faults.checkRegion(scope, operation);
    }

    /** A write the operator made: the scope it was made with, the port method, what it named, the group that concerns (null: none). */
    public record ScopedWrite(AwsScope scope, String operation, String target, String group) {
    }

    private final List<ScopedWrite> scopedWrites = new ArrayList<>();

    /** Every write so far with its scope, in order: a test can tell whose identity made a tenant's writes. */
    public synchronized List<ScopedWrite> scopedWrites() {
        return List.copyOf(scopedWrites);
    }

    /** A write reaches AWS only with a role that can be assumed (as reads: {@link #read}); then it is recorded with its scope. */
    private void wrote(AwsScope scope, String operation, String target, String group) {
        faults.checkRole(scope, operation);
        scopedWrites.add(new ScopedWrite(scope, operation, target, group));
    }

    private String groupOfMachine(String instanceId) {
        Machine m = machines.get(instanceId);
        return m == null ? null : m.tags.get(Tags.ASG_NAME);
    }

    /** Counts a write, then fails it if a fault is set for it. */
    void call(String operation) {
        count(operation);
        faults.check(operation);
    }

    // ---- the address writes port

    @Override
    public synchronized String allocate(AwsScope scope, String poolKey, String installation, String claim) {
        in(scope);
        wrote(scope, "allocate", poolKey, null);
        return addresses.allocate(poolKey, installation, claim);
    }

    @Override
    public synchronized boolean claim(AwsScope scope, String allocationId, String claim) {
        in(scope);
        wrote(scope, "claim", allocationId, null);
        return addresses.claim(allocationId, claim);
    }

    @Override
    public synchronized void unclaim(AwsScope scope, String allocationId, String claim) {
        in(scope);
        wrote(scope, "unclaim", allocationId, null);
        addresses.unclaim(allocationId, claim);
    }

    @Override
    public synchronized void orphan(AwsScope scope, String allocationId, String claim, String orphanedFrom) {
        in(scope);
        wrote(scope, "orphan", allocationId, null);
        addresses.orphan(allocationId, claim, orphanedFrom);
    }

    @Override
    public synchronized void associate(AwsScope scope, String allocationId, String instanceId, String clusterKey) {
        in(scope);
        wrote(scope, "associate", allocationId, groupOfMachine(instanceId));
        addresses.associate(allocationId, instanceId, clusterKey);
    }

    @Override
    public synchronized void forgetAssignment(AwsScope scope, String allocationId, String instanceId) {
        in(scope);
        wrote(scope, "forgetAssignment", allocationId, groupOfMachine(instanceId));
        addresses.forgetAssignment(allocationId, instanceId);
    }

    @Override
    public synchronized void disassociate(AwsScope scope, String associationId) {
        in(scope);
        wrote(scope, "disassociate", associationId, null);
        addresses.disassociate(associationId);
    }

    @Override
    public synchronized void release(AwsScope scope, String allocationId) {
        in(scope);
        wrote(scope, "release", allocationId, null);
        addresses.release(allocationId);
    }

    // ---- what a test looks at

    public synchronized Optional<ObservedAsg> group(String asgName) {
        return describe(asgName);
    }

    /** Machines of the group that serve (not terminating), in launch order. */
    /** The group's warm spares and their Warmed:* states. */
    public synchronized Map<String, String> spares(String asgName) {
        Map<String, String> out = new LinkedHashMap<>();
        groups.get(asgName).spares.forEach((id, m) -> out.put(id, m.lifecycle));
        return out;
    }

    public synchronized List<String> serving(String asgName) {
        Group g = groups.get(asgName);
        return g == null ? List.of() : g.members.entrySet().stream().filter(e -> !e.getValue().lifecycle.startsWith("Terminating"))
                .map(Map.Entry::getKey).toList();
    }

    public synchronized String state(String instanceId) {
        return machines.get(instanceId).state;
    }

    public synchronized String lifecycle(String asgName, String instanceId) {
        return groups.get(asgName).members.get(instanceId).lifecycle;
    }

    public synchronized String templateVersionOf(String asgName, String instanceId) {
        return groups.get(asgName).members.get(instanceId).templateVersion;
    }

    /** The allocation id of the address on the instance, null if none. */
    public synchronized String addressOf(String instanceId) {
        return Optional.ofNullable(addresses.on(instanceId)).map(a -> a.allocationId).orElse(null);
    }

    /** The instance the address is associated with, null if it is free. */
    public synchronized String holderOf(String allocationId) {
        return addresses.holderOf(allocationId);
    }

    public synchronized Map<String, String> instanceTags(String instanceId) {
        return Map.copyOf(machines.get(instanceId).tags);
    }
}
