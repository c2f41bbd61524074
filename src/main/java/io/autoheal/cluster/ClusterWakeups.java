package io.autoheal.cluster;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.BooleanSupplier;

/**
 * Wakes one cluster's reconciler at once (a JOSDK event source registered by {@link HealingClusterReconciler}): what
 * AWS tells the operator through the event queue reaches the one cluster it concerns within seconds, whatever the
 * resync interval. Also says whether events arrive now ({@link #eventDriven()}): only then may a pass that acted
 * leave the next step to the event its action causes.
 */
@ApplicationScoped
public class ClusterWakeups {
    private final SimpleInboundEventSource<HealingCluster> source = new SimpleInboundEventSource<>("aws-events");
    private volatile BooleanSupplier receiving = () -> false;

    SimpleInboundEventSource<HealingCluster> source() {
        return source;
    }

    /** @param clusterKey {@code <namespace>/<name>}, as in the autoheal.io/cluster tag */
    public void wake(String clusterKey) {
        int slash = clusterKey.indexOf('/');
        if (slash <= 0 || slash == clusterKey.length() - 1 || !source.isRunning()) {
            return; // not one of ours, or the operator is not started (yet): the resync covers it
        }
        source.propagateEvent(new ResourceID(clusterKey.substring(slash + 1), clusterKey.substring(0, slash)));
    }

    /** The event queue's consumer, once started: whether its last receive succeeded. */
    public void fedBy(BooleanSupplier receiving) {
        this.receiving = receiving;
    }

    /** Events wake clusters now: the source runs and the consumer receives (not during an SQS outage). */
    public boolean eventDriven() {
        return source.isRunning() && receiving.getAsBoolean();
    }
}
