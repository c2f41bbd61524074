package io.autoheal.eip;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A pool and its clusters' instances, and what AWS would look like after a plan ran — for allocator tests. */
record AllocatorWorld(List<PoolAddress> addresses, List<CandidateInstance> candidates) {

    AllocationPlan plan() {
        return AddressAllocator.plan(addresses, candidates);
    }

    /**
     * Applies a plan the way AWS and the actuator would: disassociations keep our tags; an association (which
     * AWS refuses on an address in use, AllowReassociation=false) writes them. Fails on an action AWS would refuse.
     */
    AllocatorWorld apply(AllocationPlan plan) {
        Map<String, PoolAddress> byId = addresses.stream().collect(Collectors.toMap(PoolAddress::allocationId, Function.identity(),
                (a, b) -> a, java.util.LinkedHashMap::new));
        for (AllocationPlan.Disassociate d : plan.disassociate()) {
            PoolAddress a = byId.get(d.allocationId());
            if (a == null || !d.associationId().equals(a.associationId())) {
                throw new AssertionError("AWS would refuse " + d + " on " + a);
            }
            byId.put(a.allocationId(), new PoolAddress(a.allocationId(), a.publicIp(), null, null, false, a.lastCluster(), a.lastInstance()));
        }
        for (AllocationPlan.Associate as : plan.associate()) {
            PoolAddress a = byId.get(as.allocationId());
            if (a == null || a.associated()) {
                throw new AssertionError("AWS would refuse " + as + " on " + a);
            }
            byId.put(a.allocationId(), new PoolAddress(a.allocationId(), a.publicIp(), as.instanceId(), "eipassoc-" + as.instanceId()
                    + "-" + a.allocationId(), false, as.cluster(), as.instanceId()));
        }
        return new AllocatorWorld(new ArrayList<>(byId.values()), candidates);
    }

    /** Pool addresses held by each instance, lowest allocation id first. */
    Map<String, List<String>> addressesByInstance() {
        return addresses.stream().filter(a -> a.associatedInstanceId() != null && !a.associatedWithNonInstance())
                .sorted(java.util.Comparator.comparing(PoolAddress::allocationId))
                .collect(Collectors.groupingBy(PoolAddress::associatedInstanceId, java.util.TreeMap::new,
                        Collectors.mapping(PoolAddress::allocationId, Collectors.toList())));
    }

    static String ip(String allocationId) {
        return "203.0.113." + Math.floorMod(allocationId.hashCode(), 250);
    }

    static PoolAddress free(String id, String lastCluster) {
        return new PoolAddress(id, ip(id), null, null, false, lastCluster, null);
    }

    static PoolAddress freeAfter(String id, String lastCluster, String lastInstance) {
        return new PoolAddress(id, ip(id), null, null, false, lastCluster, lastInstance);
    }

    static PoolAddress on(String id, String instanceId, String lastCluster, String lastInstance) {
        return new PoolAddress(id, ip(id), instanceId, "eipassoc-" + id, false, lastCluster, lastInstance);
    }

    /** Associated with a NAT gateway or a bare network interface. */
    static PoolAddress onNonInstance(String id, String lastCluster, String lastInstance) {
        return new PoolAddress(id, ip(id), null, "eipassoc-" + id, true, lastCluster, lastInstance);
    }

    static CandidateInstance in(String id, String cluster, InstanceState state, int launchMinute) {
        return inZone(id, cluster, state, launchMinute, null);
    }

    static CandidateInstance inZone(String id, String cluster, InstanceState state, int launchMinute, String zone) {
        return new CandidateInstance(id, cluster, state, Instant.parse("2025-01-01T00:00:00Z").plusSeconds(60L * launchMinute), zone, false);
    }

    /** Its network interface already carries an Elastic IP that is not the pool's. */
    static CandidateInstance carrier(String id, String cluster, InstanceState state) {
        return new CandidateInstance(id, cluster, state, Instant.parse("2025-01-01T00:00:00Z"), null, true);
    }

    static CandidateInstance running(String id, String cluster, int launchMinute) {
        return in(id, cluster, InstanceState.RUNNING, launchMinute);
    }
}
