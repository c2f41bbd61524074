package io.autoheal.metrics;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** Bootstrap jobs per cluster: outcomes, duration from trigger to final phase, and how many are running. */
@ApplicationScoped
public class BootstrapMetrics {
    private final MeterRegistry registry;
    private final ClusterMetrics clusters;

    public BootstrapMetrics(MeterRegistry registry, ClusterMetrics clusters) {
        this.registry = registry;
        this.clusters = clusters;
    }

    /** outcome: triggered, succeeded, failed, timed_out, trigger_failed, gave_up. */
    public void job(HealingCluster hc, String outcome) {
        Counter.builder("autoheal.bootstrap.jobs").description("Bootstrap job events by outcome")
                .tags(tags(hc).and("outcome", outcome)).register(registry).increment();
    }

    public void finished(HealingCluster hc, Duration took) {
        Timer.builder("autoheal.bootstrap.duration").description("Bootstrap job duration, trigger to final phase")
                .tags(tags(hc)).publishPercentileHistogram().register(registry).record(took);
    }

    public void inProgress(HealingCluster hc, int running) {
        clusters.bootstrapInProgress(hc, running);
    }

    private static Tags tags(HealingCluster hc) {
        return Tags.of("namespace", hc.getMetadata().getNamespace(), "cluster", hc.getMetadata().getName());
    }
}
