package io.autoheal.eip;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.eip.AllocationPlan.AddressState;
import io.autoheal.eip.AllocationPlan.AddressView;
import io.autoheal.eip.AllocationPlan.AssignReason;
import io.autoheal.eip.AllocationPlan.Associate;
import io.autoheal.eip.AllocationPlan.Disassociate;
import io.autoheal.eip.AllocationPlan.FreeReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Invariants of {@link AddressAllocator} over random pools (0–12 addresses: free, on candidates, on strangers, on
 * NAT gateways; with matching, stale or missing tags) and fleets (1–3 clusters, 0–15 instances in every state, some
 * holding two addresses, some carrying an outside Elastic IP, in 0–2 known zones). 7 properties × 2,000 tries.
 */
class AddressAllocatorPropertiesTest {
    static final int TRIES = 2000;
    static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");

    record InstanceSpec(int cluster, int state, int launchMinute, int outsideEip, int zone) {
    }

    record AddressSpec(int kind, int target, int tags, int tagCluster) {
    }

    @Provide
    Arbitrary<AllocatorWorld> worlds() {
        Arbitrary<InstanceSpec> instance = Combinators.combine(Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, InstanceState.values().length - 1), Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 2)).as(InstanceSpec::new);
        Arbitrary<AddressSpec> address = Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 20), Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 3)).as(AddressSpec::new);
        return Combinators.combine(Arbitraries.integers().between(1, 3), instance.list().ofMaxSize(15), address.list().ofMaxSize(12))
                .as(AddressAllocatorPropertiesTest::world);
    }

    static AllocatorWorld world(int clusterCount, List<InstanceSpec> instanceSpecs, List<AddressSpec> addressSpecs) {
        List<CandidateInstance> candidates = new ArrayList<>();
        for (int i = 0; i < instanceSpecs.size(); i++) {
            InstanceSpec s = instanceSpecs.get(i);
            candidates.add(new CandidateInstance("i-" + i, "ns/c" + (s.cluster() % clusterCount), InstanceState.values()[s.state()],
                    EPOCH.plusSeconds(60L * s.launchMinute()), s.zone() == 0 ? null : "zone-" + s.zone(), s.outsideEip() == 0));
        }
        List<PoolAddress> addresses = new ArrayList<>();
        for (int i = 0; i < addressSpecs.size(); i++) {
            AddressSpec s = addressSpecs.get(i);
            String id = String.format("eipalloc-%02d", i);
            String tagCluster = s.tagCluster() == 3 ? "ns/gone" : "ns/c" + (s.tagCluster() % clusterCount);
            String holder = switch (s.kind()) {
                case 1, 2 -> candidates.isEmpty() ? null : candidates.get(s.target() % candidates.size()).instanceId();
                case 3 -> "x-" + (s.target() % 3);
                default -> null;
            };
            // Kinds: 0 and 5 free, 1 and 2 on a candidate, 3 on a stranger, 4 on a NAT gateway.
            // Tags: 0 none, 1 ours for the current holder, 2 stale (another instance), 3 cluster only, 4 and 5 a candidate
            // and its cluster (on a free address: a predecessor's address when that candidate is dying or dead).
            CandidateInstance named = candidates.isEmpty() ? null : candidates.get((s.target() * 7 + i) % candidates.size());
            String lastInstance = switch (s.tags()) {
                case 1 -> holder == null ? "i-" + s.target() : holder;
                case 2 -> "i-stale-" + s.target();
                case 4, 5 -> named == null ? null : named.instanceId();
                default -> null;
            };
            String lastCluster = s.tags() == 0 ? null : s.tags() >= 4 && named != null ? named.cluster() : tagCluster;
            if (s.kind() == 4) {
                addresses.add(new PoolAddress(id, AllocatorWorld.ip(id), null, "eipassoc-" + id, true, lastCluster, lastInstance));
            } else {
                addresses.add(new PoolAddress(id, AllocatorWorld.ip(id), holder, holder == null ? null : "eipassoc-" + id, false,
                        lastCluster, lastInstance));
            }
        }
        return new AllocatorWorld(addresses, candidates);
    }

    // ---- oracles, written from the rules independently of the implementation ----

    static Map<String, CandidateInstance> byId(AllocatorWorld w) {
        return w.candidates().stream().collect(Collectors.toMap(CandidateInstance::instanceId, Function.identity()));
    }

    static boolean foreign(PoolAddress a, Map<String, CandidateInstance> candidates) {
        // Not an alive or dying candidate: a machine of no cluster this pool serves is never its to move (AddressOwnership).
        return a.associated() && (a.associatedWithNonInstance() || a.associatedInstanceId() == null
                || !candidates.containsKey(a.associatedInstanceId()));
    }

    /** Instances that need an address and hold none of the pool's (those awaiting a release included). */
    static Set<String> needingAddress(AllocatorWorld w) {
        Map<String, CandidateInstance> candidates = byId(w);
        Set<String> holding = w.addresses().stream().filter(a -> a.undoable() && !a.associatedWithNonInstance()
                        && a.associatedInstanceId() != null && candidates.containsKey(a.associatedInstanceId())
                        && candidates.get(a.associatedInstanceId()).state().alive())
                .map(PoolAddress::associatedInstanceId).collect(Collectors.toSet());
        return w.candidates().stream().filter(c -> c.state().needsAddress() && !c.carriesOtherElasticIp())
                .map(CandidateInstance::instanceId).filter(id -> !holding.contains(id)).collect(Collectors.toSet());
    }

    /**
     * Per cluster, the instances that wait for an address being freed from the cluster's dying machines: as many as
     * such addresses our tags give back to the cluster, longest waiting first.
     */
    static Map<String, List<String>> awaitingRelease(AllocatorWorld w) {
        Map<String, CandidateInstance> candidates = byId(w);
        Set<String> needing = needingAddress(w);
        Map<String, List<String>> out = new TreeMap<>();
        for (String cluster : w.candidates().stream().map(CandidateInstance::cluster).collect(Collectors.toCollection(java.util.TreeSet::new))) {
            long incoming = w.addresses().stream().filter(a -> a.undoable() && !a.associatedWithNonInstance() && a.associatedInstanceId() != null)
                    .filter(a -> candidates.containsKey(a.associatedInstanceId()))
                    .filter(a -> {
                        CandidateInstance holder = candidates.get(a.associatedInstanceId());
                        return !holder.state().alive() && holder.cluster().equals(cluster) && cluster.equals(a.lastCluster());
                    })
                    .count();
            List<String> reserved = w.candidates().stream().filter(c -> c.cluster().equals(cluster) && needing.contains(c.instanceId()))
                    .sorted(CandidateInstance.LONGEST_WAITING).limit(incoming).map(CandidateInstance::instanceId).toList();
            if (!reserved.isEmpty()) {
                out.put(cluster, reserved);
            }
        }
        return out;
    }

    /** Instances that need an address now: neither holding one nor awaiting one being freed. */
    static Set<String> waitingBefore(AllocatorWorld w) {
        Set<String> reserved = awaitingRelease(w).values().stream().flatMap(List::stream).collect(Collectors.toSet());
        return needingAddress(w).stream().filter(id -> !reserved.contains(id)).collect(Collectors.toSet());
    }

    /** A free address of the cluster whose last instance (our tag) is one of the cluster's machines, observed dying or dead. */
    static boolean predecessorsAddress(PoolAddress a, String cluster, Map<String, CandidateInstance> candidates) {
        CandidateInstance last = a.lastInstance() == null ? null : candidates.get(a.lastInstance());
        return !a.associated() && cluster.equals(a.lastCluster()) && last != null && !last.state().alive() && last.cluster().equals(cluster);
    }

    static Map<String, Long> assignedByCluster(AllocationPlan plan) {
        return plan.addresses().stream().filter(v -> v.state() == AddressState.ASSIGNED)
                .collect(Collectors.groupingBy(AddressView::cluster, TreeMap::new, Collectors.counting()));
    }

    @Property(tries = TRIES)
    void noAddressOnTwoInstancesAndNoSecondAddressOnAnInstance(@ForAll("worlds") AllocatorWorld world) {
        AllocationPlan plan = world.plan();
        Set<String> waiting = waitingBefore(world);
        assertThat(plan.associate()).extracting(Associate::allocationId).doesNotHaveDuplicates();
        assertThat(plan.associate()).extracting(Associate::instanceId).doesNotHaveDuplicates().allMatch(waiting::contains);
        Set<String> released = plan.disassociate().stream().map(Disassociate::allocationId).collect(Collectors.toSet());
        assertThat(plan.associate()).noneMatch(a -> released.contains(a.allocationId()));

        AllocatorWorld after = world.apply(plan); // fails on any action AWS would refuse (address taken)
        Map<String, List<String>> before = world.addressesByInstance();
        Map<String, CandidateInstance> candidates = byId(world);
        after.addressesByInstance().forEach((instance, ids) -> {
            if (!candidates.containsKey(instance)) {
                assertThat(ids).as("a machine the pool cannot place keeps what it holds").isEqualTo(before.get(instance));
            } else if (ids.size() > 1) {
                assertThat(before.get(instance)).as("only duplicates that were already there").containsAll(ids);
                Map<String, PoolAddress> addresses = after.addresses().stream()
                        .collect(Collectors.toMap(PoolAddress::allocationId, Function.identity()));
                assertThat(ids.subList(1, ids.size())).as("none that our tags say we caused")
                        .noneMatch(id -> addresses.get(id).taggedForItsInstance());
            }
        });
        Statistics.label("plan").collect(plan.associate().isEmpty() ? "no associate" : "associates",
                plan.disassociate().isEmpty() ? "no disassociate" : "disassociates", plan.exhausted() ? "exhausted" : "enough");
    }

    @Property(tries = TRIES)
    void foreignAddressesAreNeverTouchedAndAliveCandidatesKeepTheirAddress(@ForAll("worlds") AllocatorWorld world) {
        AllocationPlan plan = world.plan();
        Map<String, CandidateInstance> candidates = byId(world);
        Map<String, PoolAddress> addresses = world.addresses().stream().collect(Collectors.toMap(PoolAddress::allocationId, Function.identity()));
        Set<String> foreign = world.addresses().stream().filter(a -> foreign(a, candidates)).map(PoolAddress::allocationId)
                .collect(Collectors.toSet());

        assertThat(plan.addresses().stream().filter(v -> v.state() == AddressState.FOREIGN).map(AddressView::allocationId))
                .containsExactlyInAnyOrderElementsOf(foreign);
        assertThat(plan.associate()).noneMatch(a -> foreign.contains(a.allocationId()));
        assertThat(plan.associate()).allMatch(a -> !addresses.get(a.allocationId()).associated());
        Map<String, List<String>> heldBefore = world.addressesByInstance();
        for (Disassociate d : plan.disassociate()) {
            PoolAddress a = addresses.get(d.allocationId());
            assertThat(foreign).doesNotContain(d.allocationId());
            CandidateInstance holder = candidates.get(a.associatedInstanceId());
            switch (d.reason()) {
                case INSTANCE_TERMINATING -> assertThat(holder.state().alive()).isFalse();
                case DUPLICATE_ON_INSTANCE -> {
                    assertThat(holder.state().alive() && a.taggedForItsInstance()).isTrue();
                    assertThat(heldBefore.get(holder.instanceId()).get(0)).isLessThan(d.allocationId());
                }
            }
        }
        Statistics.label("reasons").collect(plan.disassociate().stream().map(d -> d.reason().name()).sorted().distinct().toList());
        Statistics.label("foreign").collect(foreign.isEmpty() ? "none" : "some");
        Map<String, List<String>> heldAfter = world.apply(plan).addressesByInstance();
        heldBefore.forEach((instance, ids) -> {
            CandidateInstance c = candidates.get(instance);
            if (c != null && c.state().alive()) {
                assertThat(heldAfter.get(instance)).as("stability of %s", instance).contains(ids.get(0));
            }
        });
    }

    @Property(tries = TRIES)
    void scarceAddressesAreWaterFilledAndNothingStaysFreeWhileSomeoneWaits(@ForAll("worlds") AllocatorWorld world) {
        AllocationPlan plan = world.plan();
        long freeBefore = world.addresses().stream().filter(a -> !a.associated()).count();
        Set<String> waiting = waitingBefore(world);
        if (freeBefore == 0) {
            assertThat(plan.associate()).isEmpty();
        }
        assertThat(plan.associate()).hasSize((int) Math.min(freeBefore, waiting.size()));
        if (plan.exhausted()) {
            assertThat(plan.counts().free()).isZero();
        }
        Set<String> served = plan.associate().stream().map(Associate::instanceId).collect(Collectors.toSet());
        assertThat(plan.unserved().values().stream().flatMap(List::stream))
                .containsExactlyInAnyOrderElementsOf(waiting.stream().filter(id -> !served.contains(id)).toList());
        assertThat(plan.awaitingRelease()).isEqualTo(awaitingRelease(world));
        Statistics.label("awaiting release").collect(plan.awaitingRelease().isEmpty() ? "none" : "some");

        // Water-filling, stated on the result: a cluster that received an address now holds at most one more than
        // any cluster still waiting, and exactly one more only if its name sorts first (it won a tie). Addresses on
        // their way back to a cluster count as held.
        Map<String, Long> held = new TreeMap<>(assignedByCluster(plan));
        awaitingRelease(world).forEach((cluster, ids) -> held.merge(cluster, (long) ids.size(), Long::sum));
        Set<String> receivers = plan.associate().stream().map(Associate::cluster).collect(Collectors.toSet());
        for (String w : plan.unserved().keySet()) {
            for (String g : receivers) {
                long hw = held.getOrDefault(w, 0L);
                long hg = held.get(g);
                assertThat(hg).as("%s got one while %s waits", g, w).isLessThanOrEqualTo(hw + 1);
                if (hg == hw + 1) {
                    assertThat(g).isLessThan(w);
                }
            }
        }
        // Within a cluster, those who waited longest are served first.
        Map<String, CandidateInstance> candidates = byId(world);
        plan.unserved().forEach((cluster, left) -> plan.associate().stream().filter(a -> a.cluster().equals(cluster))
                .forEach(a -> left.forEach(u -> assertThat(CandidateInstance.LONGEST_WAITING
                        .compare(candidates.get(a.instanceId()), candidates.get(u))).isNegative())));
    }

    @Property(tries = TRIES)
    void aClustersFormerAddressGoesElsewhereOnlyWhenItsShareIsFullOfItsOwn(@ForAll("worlds") AllocatorWorld world) {
        AllocationPlan plan = world.plan();
        Map<String, PoolAddress> addresses = world.addresses().stream().collect(Collectors.toMap(PoolAddress::allocationId, Function.identity()));
        Map<String, CandidateInstance> candidates = byId(world);
        Map<String, String> givenTo = plan.associate().stream().collect(Collectors.toMap(Associate::allocationId, Associate::cluster));
        for (Associate a : plan.associate()) {
            PoolAddress address = addresses.get(a.allocationId());
            String last = address.lastCluster();
            AssignReason expected = last == null ? AssignReason.UNUSED_ADDRESS
                    : !last.equals(a.cluster()) ? AssignReason.OTHER_CLUSTERS_ADDRESS
                    : predecessorsAddress(address, a.cluster(), candidates) ? AssignReason.PREDECESSOR_ADDRESS
                    : AssignReason.CLUSTERS_FORMER_ADDRESS;
            assertThat(a.reason()).isEqualTo(expected);
        }
        for (String cluster : new HashSet<>(givenTo.values())) {
            boolean ownFormerMissed = world.addresses().stream().anyMatch(a -> !a.associated() && cluster.equals(a.lastCluster())
                    && !cluster.equals(givenTo.get(a.allocationId())));
            if (ownFormerMissed) {
                assertThat(plan.associate().stream().filter(a -> a.cluster().equals(cluster)))
                        .allMatch(a -> a.reason() == AssignReason.PREDECESSOR_ADDRESS || a.reason() == AssignReason.CLUSTERS_FORMER_ADDRESS);
            }
        }
        Statistics.label("reasons").collect(plan.associate().stream().map(a -> a.reason().name()).sorted().distinct().toList());
        boolean unusedLeftFree = plan.addresses().stream().anyMatch(v -> v.state() == AddressState.FREE
                && addresses.get(v.allocationId()).lastCluster() == null);
        if (unusedLeftFree) {
            assertThat(plan.associate()).noneMatch(a -> a.reason() == AssignReason.OTHER_CLUSTERS_ADDRESS);
        }
    }

    @Property(tries = TRIES)
    void replacementsGetTheirPredecessorsAddressesFirstAndInTheirOwnZone(@ForAll("worlds") AllocatorWorld world) {
        AllocationPlan plan = world.plan();
        Map<String, CandidateInstance> candidates = byId(world);
        Map<String, PoolAddress> addresses = world.addresses().stream().collect(Collectors.toMap(PoolAddress::allocationId, Function.identity()));
        Set<String> givenIds = plan.associate().stream().map(Associate::allocationId).collect(Collectors.toSet());
        for (String cluster : plan.associate().stream().map(Associate::cluster).collect(Collectors.toSet())) {
            List<Associate> mine = plan.associate().stream().filter(a -> a.cluster().equals(cluster)).toList();
            List<PoolAddress> predecessors = world.addresses().stream().filter(a -> predecessorsAddress(a, cluster, candidates)).toList();
            if (predecessors.stream().anyMatch(a -> !givenIds.contains(a.allocationId()))) {
                assertThat(mine).as("a predecessor's address left free while %s took another", cluster)
                        .allMatch(a -> a.reason() == AssignReason.PREDECESSOR_ADDRESS
                                || a.instanceId().equals(addresses.get(a.allocationId()).lastInstance()));
            }
            // A served instance whose own former address (our tag names it) is free gets exactly that one.
            for (Associate a : mine) {
                world.addresses().stream().filter(f -> !f.associated() && cluster.equals(f.lastCluster())
                                && a.instanceId().equals(f.lastInstance())).findFirst()
                        .ifPresent(own -> assertThat(a.allocationId()).as("%s gets back its own former address", a.instanceId())
                                .isEqualTo(own.allocationId()));
            }
            // Same zone first: per zone, as many replacements (served, not taking back their own) get a same-zone
            // predecessor's address as can.
            Map<String, Long> servedByZone = mine.stream()
                    .filter(a -> !a.instanceId().equals(addresses.get(a.allocationId()).lastInstance()))
                    .map(a -> candidates.get(a.instanceId()).zone()).filter(z -> z != null)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            servedByZone.forEach((zone, served) -> {
                long offered = predecessors.stream().filter(a -> zone.equals(candidates.get(a.lastInstance()).zone())).count();
                long paired = mine.stream().filter(a -> zone.equals(candidates.get(a.instanceId()).zone()))
                        .filter(a -> predecessorsAddress(addresses.get(a.allocationId()), cluster, candidates))
                        .filter(a -> zone.equals(candidates.get(addresses.get(a.allocationId()).lastInstance()).zone())).count();
                assertThat(paired).as("same-zone pairs in %s of %s", zone, cluster).isEqualTo(Math.min(served, offered));
            });
        }
        Statistics.label("predecessor").collect(plan.associate().stream().anyMatch(a -> a.reason() == AssignReason.PREDECESSOR_ADDRESS)
                ? "some" : "none");
    }

    @Property(tries = TRIES)
    void theOrderOfTheInputsDoesNotMatter(@ForAll("worlds") AllocatorWorld world, @ForAll long seed) {
        List<PoolAddress> addresses = new ArrayList<>(world.addresses());
        List<CandidateInstance> candidates = new ArrayList<>(world.candidates());
        Random random = new Random(seed);
        Collections.shuffle(addresses, random);
        Collections.shuffle(candidates, random);
        assertThat(AddressAllocator.plan(addresses, candidates)).isEqualTo(world.plan());
    }

    @Property(tries = TRIES)
    void appliedPlansSettleAndThenPlanNothing(@ForAll("worlds") AllocatorWorld world) {
        AllocationPlan first = world.plan();
        AllocatorWorld once = world.apply(first);
        AllocationPlan second = once.plan();
        assertThat(second.disassociate()).as("nothing left to free after one pass").isEmpty();
        if (first.disassociate().isEmpty()) {
            assertThat(second.isEmpty()).as("plan, apply, plan = nothing").isTrue();
        }
        AllocationPlan third = once.apply(second).plan();
        assertThat(third.isEmpty()).as("freed addresses are reused on the next pass, then it is settled").isTrue();
    }
}
