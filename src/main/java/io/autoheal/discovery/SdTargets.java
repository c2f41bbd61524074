package io.autoheal.discovery;

import io.autoheal.api.v1alpha1.DiscoveryPort;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prometheus HTTP service discovery (http_sd_configs): one target group per member in service, labelled namespace,
 * cluster, role, env, zone, instance_id. Pure: the clusters as last published and the query's filters in, groups out.
 */
public final class SdTargets {
    private SdTargets() {
    }

    /** The query: each filter optional; {@code port} a number or the name of one of the cluster's ports. */
    public record Query(Optional<String> namespace, Optional<String> cluster, Optional<String> port) {
        /** Refuses a port that is neither a port name nor a number in 1-65535. */
        public Query {
            port.filter(p -> p.chars().allMatch(Character::isDigit)).ifPresent(p -> {
                if (p.length() > 5 || Integer.parseInt(p) < 1 || Integer.parseInt(p) > 65535) {
                    throw new IllegalArgumentException("port must be 1-65535 or a port name, not " + p);
                }
            });
        }
    }

    public static List<Map<String, Object>> groups(Collection<ClusterTargets> clusters, Query query) {
        List<Map<String, Object>> groups = new ArrayList<>();
        clusters.stream().sorted(Comparator.comparing(ClusterTargets::namespace).thenComparing(ClusterTargets::cluster))
                .filter(c -> query.namespace().map(c.namespace()::equals).orElse(true))
                .filter(c -> query.cluster().map(c.cluster()::equals).orElse(true))
                .forEach(c -> port(c, query.port()).ifPresent(port -> {
                    for (Member m : c.members()) {
                        if (m.ready() && m.address() != null) {
                            groups.add(group(c, m, port));
                        }
                    }
                }));
        return groups;
    }

    /**
     * The target port: the query's (number or port name), else the spec's metricsPort; empty = the cluster has no such
     * port, and it is left out rather than given a guessed one.
     */
    private static Optional<String> port(ClusterTargets c, Optional<String> asked) {
        if (asked.isPresent()) {
            String p = asked.get();
            if (p.chars().allMatch(Character::isDigit)) {
                return Optional.of(p);
            }
            return c.ports().stream().filter(d -> d.name.equals(p)).findFirst().map(d -> String.valueOf(d.port));
        }
        return Optional.ofNullable(c.metricsPort()).map(String::valueOf);
    }

    private static Map<String, Object> group(ClusterTargets c, Member m, String port) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("namespace", c.namespace());
        labels.put("cluster", c.cluster());
        labels.put("role", c.role());
        labels.put("env", c.env());
        if (m.zone() != null) {
            labels.put("zone", m.zone());
        }
        labels.put("instance_id", m.instanceId());
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("targets", List.of(m.address() + ":" + port));
        group.put("labels", labels);
        return group;
    }
}
