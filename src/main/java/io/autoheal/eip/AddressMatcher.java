package io.autoheal.eip;

import io.autoheal.eip.AllocationPlan.AssignReason;
import io.autoheal.eip.AllocationPlan.Associate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

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
 */
final class AddressMatcher {
    private AddressMatcher() {
    }

    /**
     * @param quotas     addresses to give per cluster, by cluster name
     * @param waiting    per cluster, the waiting instances longest waiting first (at least quota of them)
     * @param free       free addresses by allocation id
     * @param candidates every candidate by instance id (to recognise the predecessors the tags name)
     */
    static List<Associate> match(Map<String, Integer> quotas, Map<String, List<CandidateInstance>> waiting,
                                 List<PoolAddress> free, Map<String, CandidateInstance> candidates) {
        List<PoolAddress> left = new ArrayList<>(free);
        left.sort(Comparator.comparing(PoolAddress::allocationId));
        List<Associate> out = new ArrayList<>();
        Map<String, List<CandidateInstance>> unpaired = new HashMap<>();
        for (String cluster : quotas.keySet()) {
            List<CandidateInstance> served = new ArrayList<>(waiting.get(cluster).subList(0, quotas.get(cluster)));
            Map<PoolAddress, CandidateInstance> predecessors = new HashMap<>();
            List<PoolAddress> former = new ArrayList<>();
            for (PoolAddress a : left) {
                if (cluster.equals(a.lastCluster())) {
                    CandidateInstance last = a.lastInstance() == null ? null : candidates.get(a.lastInstance());
                    if (last != null && !last.state().alive() && cluster.equals(last.cluster())) {
                        predecessors.put(a, last);
                    } else {
                        former.add(a);
                    }
                }
            }
            List<PoolAddress> predecessorsAddresses = left.stream().filter(predecessors::containsKey).toList();
            pair(cluster, served, former, (s, a) -> s.instanceId().equals(a.lastInstance()), AssignReason.CLUSTERS_FORMER_ADDRESS, left, out);
            pair(cluster, served, new ArrayList<>(predecessorsAddresses), (s, a) -> s.sameZone(predecessors.get(a)),
                    AssignReason.PREDECESSOR_ADDRESS, left, out);
            pair(cluster, served, new ArrayList<>(predecessorsAddresses), (s, a) -> true, AssignReason.PREDECESSOR_ADDRESS, left, out);
            pair(cluster, served, former, (s, a) -> true, AssignReason.CLUSTERS_FORMER_ADDRESS, left, out);
            unpaired.put(cluster, served);
        }
        left.sort(Comparator.comparing((PoolAddress a) -> a.lastCluster() != null).thenComparing(PoolAddress::allocationId));
        for (String cluster : quotas.keySet()) {
            for (CandidateInstance s : unpaired.get(cluster)) {
                if (left.isEmpty()) {
                    break;
                }
                PoolAddress a = left.remove(0);
                out.add(new Associate(a.allocationId(), s.instanceId(), cluster,
                        a.lastCluster() == null ? AssignReason.UNUSED_ADDRESS : AssignReason.OTHER_CLUSTERS_ADDRESS));
            }
        }
        out.sort(Comparator.comparing(Associate::allocationId));
        return out;
    }

    /**
     * Gives each still unpaired instance (in order) the first of {@code offered} that {@code fits} it; what is paired
     * leaves {@code served}, {@code offered} and {@code left}.
     */
    private static void pair(String cluster, List<CandidateInstance> served, List<PoolAddress> offered,
                             BiPredicate<CandidateInstance, PoolAddress> fits, AssignReason reason, List<PoolAddress> left,
                             List<Associate> out) {
        for (CandidateInstance s : List.copyOf(served)) {
            PoolAddress a = offered.stream().filter(left::contains).filter(x -> fits.test(s, x)).findFirst().orElse(null);
            if (a != null) {
                offered.remove(a);
                left.remove(a);
                served.remove(s);
                out.add(new Associate(a.allocationId(), s.instanceId(), cluster, reason));
            }
        }
    }
}
