package io.autoheal.eip;

import io.autoheal.eip.AllocationPlan.AssignReason;
import io.autoheal.eip.AllocationPlan.Associate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Which free address goes to which waiting instance, once {@link FairShare} has said how many each cluster gets.
 * A cluster's share goes to its longest waiting instances; they are paired with addresses in this order:
 * <ol>
 * <li>the address our tag says the instance itself held (it lost it for a while, e.g. to another Elastic IP);</li>
 * <li>predecessors' addresses — the cluster's free former addresses whose last instance (our tag) is one of its
 *     machines still observed shutting down or terminated — first to a replacement in that machine's availability
 *     zone, then to any (longest waiting instance first, lowest allocation id first);</li>
 * <li>the cluster's other former addresses (their last machine is no longer observed), by allocation id;</li>
 * <li>never-used addresses, then addresses other clusters held before, by allocation id, clusters by name.</li>
 * </ol>
 * So a replacement gets the public IP of the machine it replaces even when the pool has more free addresses, of its
 * own cluster's too, than are needed; and a cluster's former address goes elsewhere only when that cluster's share
 * is already filled with its own former addresses.
 *
 * <p>O(n log n) in free addresses plus waiting instances: the free addresses are sorted and grouped by the cluster
 * that held them once; each cluster then works only on its own group, through indexes and queues (no list scans).
 */
final class AddressMatcher {
    private static final Comparator<PoolAddress> BY_ID = Comparator.comparing(PoolAddress::allocationId);

    private AddressMatcher() {
    }

    /**
     * @param quotas     addresses to give per cluster, by cluster name
     * @param waiting    per cluster, the waiting instances longest waiting first (at least quota of them)
     * @param free       free addresses
     * @param candidates every candidate by instance id (to recognise the predecessors the tags name)
     */
    static List<Associate> match(Map<String, Integer> quotas, Map<String, List<CandidateInstance>> waiting,
                                 List<PoolAddress> free, Map<String, CandidateInstance> candidates) {
        Map<String, List<PoolAddress>> formerByCluster = new HashMap<>();
        free.stream().filter(a -> a.lastCluster() != null).sorted(BY_ID)
                .forEach(a -> formerByCluster.computeIfAbsent(a.lastCluster(), c -> new ArrayList<>()).add(a));
        Set<String> taken = new HashSet<>();
        List<Associate> out = new ArrayList<>();
        Map<String, List<CandidateInstance>> unpaired = new TreeMap<>();
        for (Map.Entry<String, Integer> quota : new TreeMap<>(quotas).entrySet()) {
            String cluster = quota.getKey();
            List<CandidateInstance> served = waiting.get(cluster).subList(0, quota.getValue());
            unpaired.put(cluster, new ClusterPairing(cluster, formerByCluster.getOrDefault(cluster, List.of()), candidates, taken, out)
                    .pair(served));
        }
        // Whatever the clusters' own former addresses did not cover: never-used addresses first, then other clusters'.
        Iterator<PoolAddress> rest = free.stream().filter(a -> !taken.contains(a.allocationId()))
                .sorted(Comparator.comparing((PoolAddress a) -> a.lastCluster() != null).thenComparing(BY_ID)).iterator();
        unpaired.forEach((cluster, instances) -> {
            for (CandidateInstance s : instances) {
                if (!rest.hasNext()) {
                    return;
                }
                PoolAddress a = rest.next();
                out.add(new Associate(a.allocationId(), s.instanceId(), cluster,
                        a.lastCluster() == null ? AssignReason.UNUSED_ADDRESS : AssignReason.OTHER_CLUSTERS_ADDRESS));
            }
        });
        out.sort(Comparator.comparing(Associate::allocationId));
        return out;
    }

    /** One cluster's share paired with its own former addresses (rules 1–3); each step is one pass over its instances. */
    private static final class ClusterPairing {
        private final String cluster;
        private final Set<String> taken;
        private final List<Associate> out;
        /** Own former addresses by the instance our tag names (the lowest allocation id for that instance). */
        private final Map<String, PoolAddress> byLastInstance = new HashMap<>();
        private final List<PoolAddress> predecessors = new ArrayList<>();
        private final Map<String, ArrayDeque<PoolAddress>> predecessorsByZone = new HashMap<>();
        private final List<PoolAddress> former = new ArrayList<>();

        ClusterPairing(String cluster, List<PoolAddress> own, Map<String, CandidateInstance> candidates, Set<String> taken,
                       List<Associate> out) {
            this.cluster = cluster;
            this.taken = taken;
            this.out = out;
            for (PoolAddress a : own) { // by allocation id
                CandidateInstance last = a.lastInstance() == null ? null : candidates.get(a.lastInstance());
                if (last != null && !last.state().alive() && cluster.equals(last.cluster())) {
                    predecessors.add(a);
                    if (last.zone() != null) {
                        predecessorsByZone.computeIfAbsent(last.zone(), z -> new ArrayDeque<>()).add(a);
                    }
                } else {
                    former.add(a);
                    if (a.lastInstance() != null) {
                        byLastInstance.putIfAbsent(a.lastInstance(), a);
                    }
                }
            }
        }

        /** @return the instances of {@code served} (in order) left without an address */
        List<CandidateInstance> pair(List<CandidateInstance> served) {
            List<CandidateInstance> left = new ArrayList<>();
            for (CandidateInstance s : served) { // its own former address (a waiting instance is alive: never a predecessor)
                if (!give(byLastInstance.get(s.instanceId()), s, AssignReason.CLUSTERS_FORMER_ADDRESS)) {
                    left.add(s);
                }
            }
            left = pairEach(left, s -> s.zone() == null ? null : firstFree(predecessorsByZone.get(s.zone())),
                    AssignReason.PREDECESSOR_ADDRESS);
            Iterator<PoolAddress> anyPredecessor = predecessors.iterator();
            left = pairEach(left, s -> next(anyPredecessor), AssignReason.PREDECESSOR_ADDRESS);
            Iterator<PoolAddress> anyFormer = former.iterator();
            return pairEach(left, s -> next(anyFormer), AssignReason.CLUSTERS_FORMER_ADDRESS);
        }

        private List<CandidateInstance> pairEach(List<CandidateInstance> instances,
                                                 Function<CandidateInstance, PoolAddress> offer,
                                                 AssignReason reason) {
            List<CandidateInstance> left = new ArrayList<>();
            for (CandidateInstance s : instances) {
                if (!give(offer.apply(s), s, reason)) {
                    left.add(s);
                }
            }
            return left;
        }

        private boolean give(PoolAddress a, CandidateInstance s, AssignReason reason) {
            if (a == null || !taken.add(a.allocationId())) {
                return false;
            }
            out.add(new Associate(a.allocationId(), s.instanceId(), cluster, reason));
            return true;
        }

        /** The lowest allocation id of the queue not given yet; given ones leave the queue for good. */
        private PoolAddress firstFree(ArrayDeque<PoolAddress> queue) {
            while (queue != null && !queue.isEmpty()) {
                if (!taken.contains(queue.peekFirst().allocationId())) {
                    return queue.peekFirst();
                }
                queue.pollFirst();
            }
            return null;
        }

        private PoolAddress next(Iterator<PoolAddress> ordered) {
            while (ordered.hasNext()) {
                PoolAddress a = ordered.next();
                if (!taken.contains(a.allocationId())) {
                    return a;
                }
            }
            return null;
        }
    }
}
