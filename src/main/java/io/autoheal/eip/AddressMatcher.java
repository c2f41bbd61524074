package io.autoheal.eip;

import io.autoheal.eip.AllocationPlan.AssignReason;
import io.autoheal.eip.AllocationPlan.Associate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which free address goes to which waiting instance, once {@link FairShare} has said how many each cluster gets.
 * First every cluster takes back the free addresses it held before (its replacements keep their predecessors'
 * public IPs), up to its share; then the rest of each share is filled with never-used addresses, then with
 * addresses other clusters held before — each group by allocation id, clusters by name. Within a cluster the
 * longest waiting instance gets the first address. So a cluster's former address goes elsewhere only when that
 * cluster's share is already filled with its own former addresses.
 */
final class AddressMatcher {
    private AddressMatcher() {
    }

    /**
     * @param quotas  addresses to give per cluster, by cluster name
     * @param waiting per cluster, the waiting instances longest waiting first (at least quota of them)
     * @param free    free addresses by allocation id
     */
    static List<Associate> match(Map<String, Integer> quotas, Map<String, List<CandidateInstance>> waiting,
                                 List<PoolAddress> free) {
        List<PoolAddress> left = new ArrayList<>(free);
        Map<String, List<PoolAddress>> chosen = new TreeMap<>();
        quotas.keySet().forEach(c -> chosen.put(c, new ArrayList<>()));

        for (String cluster : quotas.keySet()) {
            List<PoolAddress> own = left.stream().filter(a -> cluster.equals(a.lastCluster()))
                    .limit(quotas.get(cluster)).toList();
            chosen.get(cluster).addAll(own);
            left.removeAll(own);
        }
        left.sort(Comparator.comparing((PoolAddress a) -> a.lastCluster() != null).thenComparing(PoolAddress::allocationId));
        for (String cluster : quotas.keySet()) {
            List<PoolAddress> mine = chosen.get(cluster);
            while (mine.size() < quotas.get(cluster) && !left.isEmpty()) {
                mine.add(left.remove(0));
            }
        }

        List<Associate> out = new ArrayList<>();
        chosen.forEach((cluster, addresses) -> {
            for (int i = 0; i < addresses.size(); i++) {
                PoolAddress a = addresses.get(i);
                out.add(new Associate(a.allocationId(), waiting.get(cluster).get(i).instanceId(), cluster, reason(a, cluster)));
            }
        });
        out.sort(Comparator.comparing(Associate::allocationId));
        return out;
    }

    private static AssignReason reason(PoolAddress a, String cluster) {
        if (a.lastCluster() == null) {
            return AssignReason.UNUSED_ADDRESS;
        }
        return cluster.equals(a.lastCluster()) ? AssignReason.PREDECESSOR_ADDRESS : AssignReason.OTHER_CLUSTERS_ADDRESS;
    }
}
