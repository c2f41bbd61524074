package io.autoheal.health.probe;

import io.autoheal.cluster.ClusterWakeups;
import io.autoheal.config.OperatorConfig;
import io.autoheal.metrics.ProbeMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Wires the {@link Prober} into the operator (one bean: a health source and a health watch) on Quarkus' managed Vert.x,
 * and ticks it every {@link #TICK_MS} ms on a Vert.x timer: probes go out within 100 ms of their slot.
 */
@ApplicationScoped
public class ProbeScheduler {
    static final long TICK_MS = 100;
    private volatile long timer = -1;

    @Produces
    @Singleton
    Prober prober(Vertx vertx, OperatorConfig config, ClusterWakeups wakeups, ProbeMetrics metrics, Clock clock) {
        return new Prober(new VertxProbeConnector(vertx), new ProbeAddressGuard(config.health().probeAllowedCidrs(),
                config.outbound().allowedCidrs()), wakeups::wake, metrics, clock, ProbeBook.unseenLimit(config.resyncInterval()));
    }

    void start(@Observes StartupEvent event, Vertx vertx, Prober prober) {
        timer = vertx.setPeriodic(TICK_MS, id -> prober.tick());
    }

    void stop(@Observes ShutdownEvent event, Vertx vertx) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
