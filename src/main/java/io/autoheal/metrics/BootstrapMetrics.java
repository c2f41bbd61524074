package io.autoheal.metrics;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Bootstrap jobs per cluster: outcomes, duration from trigger to final phase, and how many are running. */
@ApplicationScoped
public class BootstrapMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> inProgress = new ConcurrentHashMap<>();

    public BootstrapMetrics(MeterRegistry registry) {
        this.registry = registry;
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
        inProgress.computeIfAbsent(hc.ownerKey(), k -> {
            AtomicInteger v = new AtomicInteger();
            Gauge.builder("autoheal.bootstrap.in.progress", v, AtomicInteger::get).description("Bootstrap jobs queued or running")
                    .tags(tags(hc)).register(registry);
            return v;
        }).set(running);
    }

    private static Tags tags(HealingCluster hc) {
        return Tags.of("namespace", hc.getMetadata().getNamespace(), "cluster", hc.getMetadata().getName());
    }
}
