package io.autoheal.events;

import io.quarkus.arc.DefaultBean;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.function.Consumer;

/**
 * Where the event queue's events go. The default only logs them (at debug): any bean of type
 * {@code Consumer<FleetEvent>} (a producer method or an {@code @ApplicationScoped} class implementing it) replaces it,
 * e.g. one that marks the named instances and group stale in the fleet inventory and wakes their cluster.
 */
public class FleetEventSinks {
    @Produces
    @DefaultBean
    @ApplicationScoped
    Consumer<FleetEvent> logOnly() {
        return event -> Log.debugf("fleet event (no sink wired): %s", event);
    }
}
