package io.autoheal.metrics;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/** Bootstrap jobs per cluster: outcomes, duration from trigger to final phase, and how many are running. */
@ApplicationScoped
public class BootstrapMetrics {
    /**
     * Buckets of autoheal_bootstrap_duration_seconds: playbooks run for minutes, and a timed-out job is recorded at
     * its spec.bootstrap.timeout (default 30m), so the buckets reach past an hour. Micrometer's default histogram
     * stops at 30s, where every minute-long job would read as 30s in histogram_quantile.
     */
    public static final List<Duration> DURATION_BUCKETS = List.of(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
            Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(15), Duration.ofMinutes(20),
            Duration.ofMinutes(30), Duration.ofMinutes(45), Duration.ofHours(1), Duration.ofHours(2));
    private final MeterRegistry registry;
    private final ClusterMetrics clusters;

    public BootstrapMetrics(MeterRegistry registry, ClusterMetrics clusters) {
        this.registry = registry;
        this.clusters = clusters;
    }

    /**
     * outcome: triggered, succeeded, failed, timed_out, trigger_failed (no job started: uses no attempt),
     * answer_lost (sent, answer lost: uses an attempt), gave_up.
     */
    public void job(HealingCluster hc, String outcome) {
        Counter.builder("autoheal.bootstrap.jobs").description("Bootstrap job events by outcome")
                .tags(tags(hc).and("outcome", outcome)).register(registry).increment();
    }

    /**
     * Warm spares (spec.warmPool) by outcome: ready (bootstrapped while warmed), replaced (failed its bootstrap, or
     * warmed without it: replaced in the pool, outside the healing budget), outdated (launched from another launch template
     * version than the group's: replaced, one per pass), in_service (taken into service without a
     * new bootstrap job).
     */
    public void warmSpare(HealingCluster hc, String outcome) {
        Counter.builder("autoheal.warm.spares").description("Warm spares by outcome: ready, replaced (outside the healing budget), outdated, in_service")
                .tags(tags(hc).and("outcome", outcome)).register(registry).increment();
    }

    public void finished(HealingCluster hc, Duration took) {
        Timer.builder("autoheal.bootstrap.duration").description("Bootstrap job duration, trigger to final phase")
                .tags(tags(hc)).serviceLevelObjectives(DURATION_BUCKETS.toArray(Duration[]::new)).register(registry).record(took);
    }

    public void inProgress(HealingCluster hc, int running) {
        clusters.bootstrapInProgress(hc, running);
    }

    private static Tags tags(HealingCluster hc) {
        return Tags.of("namespace", hc.getMetadata().getNamespace(), "cluster", hc.getMetadata().getName());
    }
}
