package io.autoheal.metrics;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterStatus;
import io.autoheal.api.v1alpha1.InstanceHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-cluster gauges and counters. Labels are namespace, cluster and a bounded state/reason set — never
 * instance ids — so cardinality grows with clusters only.
 */
@ApplicationScoped
public class ClusterMetrics {
    public static final List<String> STATES = List.of("desired", "in_service", "healthy", "unhealthy", "starting");
    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> gauges = new ConcurrentHashMap<>();

    public ClusterMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(HealingCluster hc, int desired, HealingClusterStatus status) {
        long inService = status.instances.stream().filter(r -> "InService".equals(r.lifecycle)).count();
        // "starting" is every machine on its way in: launched, or bootstrapping.
        long starting = status.instances.stream()
                .filter(r -> r.health == InstanceHealth.Starting || r.health == InstanceHealth.Bootstrapping).count();
        long healthy = status.instances.stream().filter(r -> r.health == InstanceHealth.Healthy).count();
        long unhealthy = status.instances.stream().filter(r -> r.health == InstanceHealth.Unhealthy).count();
        set(hc, "desired", desired);
        set(hc, "in_service", (int) inService);
        set(hc, "healthy", (int) healthy);
        set(hc, "unhealthy", (int) unhealthy);
        set(hc, "starting", (int) starting);
        ready(hc).set(status.readyReplicas == null ? 0 : status.readyReplicas);
    }

    /** The cluster could not be reconciled: keep last gauges, they are the best knowledge. */
    public void recordProblem(HealingCluster hc) {
        ready(hc);
    }

    public void remediation(HealingCluster hc, String reason) {
        Counter.builder("autoheal.remediations")
                .description("Machines replaced by the operator, by reason")
                .tags(clusterTags(hc).and("reason", reason))
                .register(registry).increment();
    }

    /** A rollout ended: outcome completed, rolled_back or paused (a bounded set: cluster.RolloutReport). */
    public void rollout(HealingCluster hc, String outcome) {
        Counter.builder("autoheal.rollouts")
                .description("Rollouts (spec.rollout) by outcome: completed, rolled_back, paused")
                .tags(clusterTags(hc).and("outcome", outcome))
                .register(registry).increment();
    }

    /**
     * Where the cluster's rollout stands, for alerts: failed 1 while a failed version is rolled back, rolled back (until the
     * spec changes) or stopped by onFailure Pause; paused 1 while it waits at a pauseAtPercent checkpoint. 0 otherwise,
     * also without spec.rollout, so the series exist for every cluster.
     */
    public void rolloutState(HealingCluster hc, boolean failed, boolean atCheckpoint) {
        gauge("autoheal.rollout.failed", "1 while the cluster's rollout failed: rolling back, rolled back until the spec changes, "
                + "or stopped (onFailure Pause)", clusterTags(hc)).set(failed ? 1 : 0);
        gauge("autoheal.rollout.paused", "1 while the cluster's rollout waits at a spec.rollout.pauseAtPercent checkpoint",
                clusterTags(hc)).set(atCheckpoint ? 1 : 0);
    }

    public void remediationBlocked(HealingCluster hc, boolean blocked) {
        gauge("autoheal.remediation.blocked", "1 while the healing budget blocks remediation of the cluster",
                clusterTags(hc)).set(blocked ? 1 : 0);
    }

    /** Machines kept in Terminating:Wait after their drain did not succeed (spec.drain.onTimeout: Keep); 0 otherwise. */
    public void drainStuck(HealingCluster hc, int kept) {
        gauge("autoheal.drain.stuck.instances", "Machines kept in Terminating:Wait after their drain did not succeed (onTimeout: Keep)",
                clusterTags(hc)).set(kept);
    }

    /** Here, not in BootstrapMetrics, so that {@link #forget} also resets it for a cluster re-created with the same name. */
    public void bootstrapInProgress(HealingCluster hc, int running) {
        gauge("autoheal.bootstrap.in.progress", "Bootstrap jobs queued or running", clusterTags(hc)).set(running);
    }

    public void forget(HealingCluster hc) {
        String marker = "|" + tagKey(clusterTags(hc));
        gauges.keySet().removeIf(k -> k.contains(marker));
        registry.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("autoheal.")
                        && hc.getMetadata().getNamespace().equals(m.getId().getTag("namespace"))
                        && hc.getMetadata().getName().equals(m.getId().getTag("cluster")))
                .toList().forEach(registry::remove);
    }

    private void set(HealingCluster hc, String state, int value) {
        gauge("autoheal.cluster.instances", "Machines of a cluster by state (desired, in_service, healthy, unhealthy, starting)",
                clusterTags(hc).and("state", state)).set(value);
    }

    private AtomicInteger ready(HealingCluster hc) {
        return gauge("autoheal.cluster.ready.replicas", "Machines of a cluster that are ready", clusterTags(hc));
    }

    private AtomicInteger gauge(String name, String help, Tags tags) {
        String key = name + "|" + tagKey(tags);
        return gauges.computeIfAbsent(key, k -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder(name, value, AtomicInteger::get).description(help).tags(tags).register(registry);
            return value;
        });
    }

    private static String tagKey(Tags tags) {
        StringBuilder sb = new StringBuilder();
        tags.forEach(t -> sb.append(t.getKey()).append('=').append(t.getValue()).append('|'));
        return sb.toString();
    }

    private static Tags clusterTags(HealingCluster hc) {
        return Tags.of("namespace", hc.getMetadata().getNamespace(), "cluster", hc.getMetadata().getName());
    }
}
