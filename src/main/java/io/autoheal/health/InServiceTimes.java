package io.autoheal.health;

import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.cluster.InService;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each machine of a cluster came into service ({@link InService}), as the cluster's passes saw it: what an
 * application-health source counts its grace from, so a failure seen while the machine was still bootstrapping never
 * counts against it. Sticky while the machine is a member (a machine judged Unhealthy keeps its moment); a machine no
 * longer in the pass's rows is dropped. In memory: after an operator restart a machine's moment is its first pass
 * seen in service again (conservative: the grace starts again).
 */
final class InServiceTimes {
    private final Map<String, Map<String, Instant>> byCluster = new ConcurrentHashMap<>();

    void seen(String clusterKey, List<InstanceStatus> rows, boolean eipRequired, Instant now) {
        Map<String, Instant> before = byCluster.getOrDefault(clusterKey, Map.of());
        Map<String, Instant> after = new HashMap<>();
        for (InstanceStatus row : rows) {
            Instant at = before.get(row.instanceId);
            if (at == null && InService.of(row, eipRequired)) {
                at = now;
            }
            if (at != null) {
                after.put(row.instanceId, at);
            }
        }
        if (after.isEmpty()) {
            byCluster.remove(clusterKey);
        } else {
            byCluster.put(clusterKey, Map.copyOf(after));
        }
    }

    /** instance id -> when it came into service; a machine absent has not (yet) been seen in service. */
    Map<String, Instant> of(String clusterKey) {
        return byCluster.getOrDefault(clusterKey, Map.of());
    }

    void forget(String clusterKey) {
        byCluster.remove(clusterKey);
    }

    java.util.Set<String> keys() {
        return byCluster.keySet();
    }
}
