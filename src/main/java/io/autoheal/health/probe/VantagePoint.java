package io.autoheal.health.probe;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Pure: ProbesInconclusive. When, in one zone, most probed machines of every cluster the operator probes there fail at
 * once, the likelier cause is the operator's own vantage point (its network path, its node) rather than all those
 * applications at the same time: the zone's probe failures are not evidence, and nothing is replaced on them. It takes
 * at least {@link #MIN_CLUSTERS} clusters to compare: one cluster failing as a whole is indistinguishable from its own
 * application being down, which the healing budget (maxUnhealthy) already guards.
 */
public final class VantagePoint {
    public static final int MIN_CLUSTERS = 2;

    private VantagePoint() {
    }

    /** One probed machine: its zone, its cluster, and whether it fails now (its latest result of a probe failed). */
    public record Probed(String zone, String cluster, boolean failing) {
    }

    /** The zones whose probe evidence is inconclusive now (sorted). */
    public static Set<String> inconclusiveZones(Collection<Probed> machines) {
        Map<String, Map<String, int[]>> byZone = new HashMap<>(); // zone -> cluster -> {probed, failing}
        for (Probed p : machines) {
            int[] n = byZone.computeIfAbsent(p.zone() == null ? "" : p.zone(), z -> new HashMap<>()).computeIfAbsent(p.cluster(), c -> new int[2]);
            n[0]++;
            if (p.failing()) {
                n[1]++;
            }
        }
        Set<String> out = new TreeSet<>();
        byZone.forEach((zone, clusters) -> {
            boolean mostFailEverywhere = clusters.values().stream().allMatch(n -> n[1] * 2 > n[0]);
            if (clusters.size() >= MIN_CLUSTERS && mostFailEverywhere) {
                out.add(zone);
            }
        });
        return out;
    }
}
