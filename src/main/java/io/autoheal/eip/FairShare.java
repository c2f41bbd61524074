package io.autoheal.eip;

import java.util.Map;
import java.util.TreeMap;

/**
 * How many of the free addresses each cluster gets, by water-filling: the next address always goes to the
 * cluster that holds the fewest (kept + given so far), ties broken by cluster name, among clusters that still
 * have an instance waiting. It follows that, after the plan, a cluster that received an address holds at most
 * one more than any cluster left waiting (and exactly one more only if its name sorts first), and that no
 * address stays free while an instance waits.
 */
final class FairShare {
    private FairShare() {
    }

    /**
     * @param held    addresses each cluster keeps; absent means 0
     * @param waiting instances waiting per cluster
     * @param free    addresses that can be given out
     * @return addresses to give per cluster with waiting instances (0 included), by cluster name
     */
    static Map<String, Integer> quotas(Map<String, Integer> held, Map<String, Integer> waiting, int free) {
        Map<String, Integer> given = new TreeMap<>();
        waiting.keySet().forEach(c -> given.put(c, 0));
        for (int left = free; left > 0; left--) {
            String next = null;
            int fewest = Integer.MAX_VALUE;
            for (Map.Entry<String, Integer> e : given.entrySet()) {
                String cluster = e.getKey();
                int holds = held.getOrDefault(cluster, 0) + e.getValue();
                // Strictly fewer: on a tie the first name in order (TreeMap) keeps the turn.
                if (e.getValue() < waiting.get(cluster) && holds < fewest) {
                    next = cluster;
                    fewest = holds;
                }
            }
            if (next == null) {
                break;
            }
            given.merge(next, 1, Integer::sum);
        }
        return given;
    }
}
