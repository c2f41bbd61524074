package io.autoheal.eip;

import io.autoheal.eip.AllocationPlan.AddressState;
import io.autoheal.eip.AllocationPlan.AddressView;
import io.autoheal.eip.AllocationPlan.Associate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Pure allocation of a pool's Elastic IPs to the instances of the clusters that use it. No I/O: the pool
 * reconciler observes AWS, calls {@link #plan}, executes the actions (AssociateAddress with AllowReassociation=false,
 * DisassociateAddress) and plans again on the next pass.
 *
 * <ol>
 * <li>Ownership first ({@link AddressOwnership}): an address another pool or installation claimed, or on anything
 *     that is not an alive or dying candidate (a NAT gateway or bare ENI, a machine of a cluster this pool does not
 *     serve or cannot place), is FOREIGN and never touched.</li>
 * <li>Stability: an address on an alive (pending, running, stopping, stopped) candidate stays where it is.</li>
 * <li>An address is freed only when this pool claimed it and its instance is shutting down or terminated. One more
 *     case, because two deciders can race: a second claimed address on one instance that our tags name is freed; the
 *     lowest allocation id stays.</li>
 * <li>Freed addresses are not reused in the same plan; the next pass, once AWS has confirmed, reuses them. Every
 *     step is therefore safe to repeat.</li>
 * <li>Pending and running candidates without an address wait, unless one of their network interfaces already carries
 *     an Elastic IP from outside the pool ({@link CandidateInstance#carriesOtherElasticIp()}): such a machine keeps
 *     that address, gets none of the pool's and is not counted as waiting (so it never makes the pool exhausted).
 *     No instance gets a second address, no address goes to two instances.</li>
 * <li>A cluster whose dying machine's address is being freed by this plan keeps it for its replacement: that many
 *     of its waiting instances (longest waiting first) wait one pass for it instead of taking another free address
 *     now ({@link AllocationPlan#awaitingRelease()}; not unserved), and count as holding it for fairness.</li>
 * <li>Fairness decides how many: {@link FairShare} water-filling — the next free address goes to the waiting cluster
 *     holding the fewest (kept + given), ties by cluster name. Stability decides which: {@link AddressMatcher} — an
 *     instance first gets back the address it held itself, then its cluster's predecessors' addresses (same
 *     availability zone first), then the cluster's other former ones, then never-used ones, then other clusters'
 *     former ones, by allocation id; the longest waiting instance (launch time, then id) first.</li>
 * <li>Instances left without an address are reported per cluster as unserved.</li>
 * </ol>
 * The plan depends only on the inputs as sets: their order does not matter.
 */
public final class AddressAllocator {
    private AddressAllocator() {
    }

    /**
     * @param addresses  the pool's addresses, each allocation id once
     * @param candidates every instance of every cluster allowed on the pool, in any state, each instance id once
     * @throws IllegalArgumentException if an allocation id or an instance id appears twice
     */
    public static AllocationPlan plan(List<PoolAddress> addresses, List<CandidateInstance> candidates) {
        requireDistinct(addresses.stream().map(PoolAddress::allocationId).toList(), "allocation id");
        requireDistinct(candidates.stream().map(CandidateInstance::instanceId).toList(), "instance id");
        Map<String, CandidateInstance> byId = new HashMap<>();
        candidates.forEach(c -> byId.put(c.instanceId(), c));

        PoolHoldings holdings = PoolHoldings.of(addresses, byId);
        Map<String, List<CandidateInstance>> waiting = candidates.stream()
                .filter(c -> c.state().needsAddress() && !c.carriesOtherElasticIp() && !c.clusterDeleting())
                .filter(c -> !holdings.instancesWithAddress().contains(c.instanceId()))
                .sorted(CandidateInstance.LONGEST_WAITING)
                .collect(Collectors.groupingBy(CandidateInstance::cluster, TreeMap::new, Collectors.toList()));
        // Those an address being freed from their cluster's dying machine will serve next pass wait for it.
        Map<String, List<String>> awaitingRelease = new TreeMap<>();
        Map<String, Integer> held = new TreeMap<>(holdings.heldByCluster());
        holdings.incomingByCluster().forEach((cluster, incoming) -> {
            List<CandidateInstance> list = waiting.getOrDefault(cluster, List.of());
            int reserved = Math.min(incoming, list.size());
            if (reserved > 0) {
                awaitingRelease.put(cluster, list.subList(0, reserved).stream().map(CandidateInstance::instanceId).toList());
                waiting.put(cluster, list.subList(reserved, list.size()));
                held.merge(cluster, reserved, Integer::sum);
            }
        });
        waiting.values().removeIf(List::isEmpty);
        Map<String, Integer> waitingCount = new TreeMap<>();
        waiting.forEach((cluster, list) -> waitingCount.put(cluster, list.size()));

        Map<String, Integer> quotas = FairShare.quotas(held, waitingCount, holdings.free().size());
        List<Associate> associate = AddressMatcher.match(quotas, waiting, holdings.free(), byId);

        List<String> claimFirst = associate.stream().map(Associate::allocationId).filter(holdings.unclaimedFree()::contains).toList();
        return new AllocationPlan(associate, holdings.disassociate(), views(holdings, associate),
                unserved(waiting, associate), awaitingRelease, holdings.adopt(), claimFirst, holdings.foreignHolders());
    }

    private static List<AddressView> views(PoolHoldings holdings, List<Associate> associate) {
        Map<String, Associate> given = associate.stream().collect(Collectors.toMap(Associate::allocationId, a -> a));
        List<AddressView> views = new ArrayList<>(holdings.views());
        for (PoolAddress a : holdings.free()) {
            Associate to = given.get(a.allocationId());
            views.add(to == null
                    ? new AddressView(a.allocationId(), a.publicIp(), AddressState.FREE, a.lastCluster(), null)
                    : new AddressView(a.allocationId(), a.publicIp(), AddressState.ASSIGNED, to.cluster(), to.instanceId()));
        }
        views.sort(Comparator.comparing(AddressView::allocationId));
        return views;
    }

    private static Map<String, List<String>> unserved(Map<String, List<CandidateInstance>> waiting, List<Associate> associate) {
        Set<String> served = associate.stream().map(Associate::instanceId).collect(Collectors.toSet());
        Map<String, List<String>> unserved = new TreeMap<>();
        waiting.forEach((cluster, list) -> {
            List<String> left = list.stream().map(CandidateInstance::instanceId).filter(id -> !served.contains(id)).toList();
            if (!left.isEmpty()) {
                unserved.put(cluster, left);
            }
        });
        return unserved;
    }

    private static void requireDistinct(List<String> ids, String what) {
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            if (!seen.add(id)) {
                throw new IllegalArgumentException("the observation lists " + what + " " + id + " twice");
            }
        }
    }
}
