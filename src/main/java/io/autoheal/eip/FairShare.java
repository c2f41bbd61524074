package io.autoheal.eip;

import java.util.Comparator;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * How many of the free addresses each cluster gets, by water-filling: the next address always goes to the
 * cluster that holds the fewest (kept + given so far), ties broken by cluster name, among clusters that still
 * have an instance waiting. It follows that, after the plan, a cluster that received an address holds at most
 * one more than any cluster left waiting (and exactly one more only if its name sorts first), and that no
 * address stays free while an instance waits. A priority queue picks the next cluster: O(g log c) for g addresses
 * given to c clusters.
 */
final class FairShare {
    private FairShare() {
    }

    /** A cluster's turn: what it holds now (kept + given) and what it has been given. */
    private record Turn(String cluster, int holds, int given) {
    }

    private static final Comparator<Turn> FEWEST_FIRST = Comparator.comparingInt(Turn::holds).thenComparing(Turn::cluster);

    /**
     * @param held    addresses each cluster keeps; absent means 0
     * @param waiting instances waiting per cluster
     * @param free    addresses that can be given out
     * @return addresses to give per cluster with waiting instances (0 included), by cluster name
     */
    static Map<String, Integer> quotas(Map<String, Integer> held, Map<String, Integer> waiting, int free) {
        Map<String, Integer> given = new TreeMap<>();
        PriorityQueue<Turn> next = new PriorityQueue<>(Math.max(1, waiting.size()), FEWEST_FIRST);
        waiting.forEach((cluster, count) -> {
            given.put(cluster, 0);
            if (count > 0) {
                next.add(new Turn(cluster, held.getOrDefault(cluster, 0), 0));
            }
        });
        for (int left = free; left > 0 && !next.isEmpty(); left--) {
            Turn turn = next.poll();
            int now = turn.given() + 1;
            given.put(turn.cluster(), now);
            if (now < waiting.get(turn.cluster())) {
                next.add(new Turn(turn.cluster(), turn.holds() + 1, now));
            }
        }
        return given;
    }
}
