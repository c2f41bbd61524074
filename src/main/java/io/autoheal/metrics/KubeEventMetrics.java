package io.autoheal.metrics;

import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.EventRecorder.DropCause;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What becomes of the Kubernetes Events the operator records ({@link EventRecorder} sends them in the background):
 * {@code autoheal_kube_events_dropped_total{cause=queue_full|shutdown|send_failed}} and the gauge
 * {@code autoheal_kube_events_pending}. Read from the recorder's own counters at scrape time, so recording stays
 * free of Micrometer. Not {@code autoheal_events_*}: that family is the SQS event consumer's (io.autoheal.events).
 * Every series exists from start (at 0), so the alert's increase() has data at once.
 */
@Startup
@ApplicationScoped
public class KubeEventMetrics {
    @SuppressWarnings("unused") // kept: Micrometer holds the functions' object only weakly
    private final EventRecorder recorder;

    public KubeEventMetrics(MeterRegistry registry, EventRecorder recorder) {
        this.recorder = recorder;
        for (DropCause cause : DropCause.values()) {
            FunctionCounter.builder("autoheal.kube.events.dropped", recorder, r -> r.dropped(cause))
                    .description("Kubernetes Events the operator recorded but never sent, by cause: queue_full (too many waiting), "
                            + "shutdown (the process stopped first), send_failed (the API server refused it or the series update failed)")
                    .tag("cause", cause.label()).register(registry);
        }
        Gauge.builder("autoheal.kube.events.pending", recorder, EventRecorder::pending)
                .description("Kubernetes Events recorded and waiting to be sent to the API server").register(registry);
    }
}
