package io.autoheal.bench;

import io.autoheal.testing.Sandbox;
import java.util.HashMap;
import java.util.Map;

/**
 * How the operator reads AWS in a run. BASELINE is the per-cluster observation every cluster made before the region
 * inventory (kept behind autoheal.inventory.enabled=false only for this bench); INVENTORY reads one shared snapshot
 * per region; EVENTS adds the sandbox's event queue (EventBridge → SQS, sandbox/moto/autoheal_moto_events.py) with
 * the resync raised to the recommended 5 minutes. The client-side request budget is off in every mode: the bench
 * counts the calls the operator wants to make, not how the budget spreads them.
 */
enum Mode {
    BASELINE("baseline", Map.of("AUTOHEAL_INVENTORY_ENABLED", "false")),
    INVENTORY("inventory", Map.of("AUTOHEAL_INVENTORY_ENABLED", "true")),
    EVENTS("events", Map.of("AUTOHEAL_INVENTORY_ENABLED", "true", "AUTOHEAL_RESYNC_INTERVAL", "5m"));

    final String label;
    private final Map<String, String> settings;

    Mode(String label, Map<String, String> settings) {
        this.label = label;
        this.settings = settings;
    }

    /** The operator's environment for this mode (EVENTS reads the sandbox's queue URL). */
    Map<String, String> env() {
        Map<String, String> env = new HashMap<>(settings);
        env.put("AUTOHEAL_AWS_RATE_LIMIT_ENABLED", "false");
        env.put("AUTOHEAL_EVENTS_QUEUE_URL", this == EVENTS ? Sandbox.env().getOrDefault("AUTOHEAL_EVENTS_QUEUE_URL", "") : "");
        return env;
    }
}
