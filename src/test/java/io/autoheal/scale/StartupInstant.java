package io.autoheal.scale;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;

/** When this JVM's latest operator application started (observed before the operator's own start-up: priority 1). */
@ApplicationScoped
public class StartupInstant {
    private static volatile Instant latest;

    void onStart(@Observes @Priority(1) StartupEvent event) {
        latest = Instant.now();
    }

    public static Instant latest() {
        return latest;
    }
}
