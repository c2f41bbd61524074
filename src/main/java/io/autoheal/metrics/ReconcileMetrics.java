package io.autoheal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Reconcile passes per controller and outcome, and their duration: what the reconcile-error alert and the
 * dashboard's reconcile panels read. Labels: controller (healingcluster, elasticippool) and outcome only.
 */
@ApplicationScoped
public class ReconcileMetrics {
    private final MeterRegistry registry;

    public ReconcileMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** outcome: success, blocked (a problem reported in status), error (exception, retried by the framework). */
    public void record(String controller, String outcome, Duration took) {
        Counter.builder("autoheal.reconciliations").description("Reconcile passes by controller and outcome")
                .tags("controller", controller, "outcome", outcome).register(registry).increment();
        Timer.builder("autoheal.reconciliation").description("Duration of reconcile passes")
                .tags("controller", controller).publishPercentileHistogram().register(registry).record(took);
    }
}
