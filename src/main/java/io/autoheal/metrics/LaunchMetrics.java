package io.autoheal.metrics;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;

/** Launches AWS refused, by the bounded reason read from EC2's message (never instance ids or messages as labels). */
@ApplicationScoped
public class LaunchMetrics {
    private final MeterRegistry registry;

    public LaunchMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Every reason's series of the cluster at 0 (registering is idempotent): a counter that appears only with its
     * first increment hides that increment from increase(), and the alert would miss the first failures.
     */
    public void known(HealingCluster hc, Collection<String> reasons) {
        reasons.forEach(r -> counter(hc, r));
    }

    /** One failed launch activity (counted once, not per pass). */
    public void launchFailed(HealingCluster hc, String reason) {
        counter(hc, reason).increment();
    }

    private Counter counter(HealingCluster hc, String reason) {
        return Counter.builder("autoheal.launch.failures")
                .description("Failed launch activities of a cluster's Auto Scaling Group, by reason")
                .tags(Tags.of("namespace", hc.getMetadata().getNamespace(), "cluster", hc.getMetadata().getName(), "reason", reason))
                .register(registry);
    }
}
