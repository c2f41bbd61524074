package io.autoheal.discovery;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The members each cluster with spec.discovery last published, for /sd/targets: kept in memory by the reconciler
 * (no API call per scrape), so it is the view of the operator replica that reconciles (the leader).
 */
@ApplicationScoped
public class SdRegistry {
    private final ConcurrentHashMap<String, ClusterTargets> clusters = new ConcurrentHashMap<>();

    public void put(ClusterTargets targets) {
        clusters.put(targets.namespace() + "/" + targets.cluster(), targets);
    }

    public void remove(String namespace, String cluster) {
        clusters.remove(namespace + "/" + cluster);
    }

    public Collection<ClusterTargets> all() {
        return List.copyOf(clusters.values());
    }
}
