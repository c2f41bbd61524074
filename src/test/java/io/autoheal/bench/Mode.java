package io.autoheal.bench;

import java.util.Map;

/**
 * How the operator reads AWS in a run. BASELINE is the per-cluster observation every cluster made before the region
 * inventory (kept behind autoheal.inventory.enabled=false only for this bench); INVENTORY reads one shared snapshot
 * per region. The event-driven issue adds its mode here (with the queue's settings in env) and a row to
 * {@link ReactionBench#MODES}.
 */
enum Mode {
    BASELINE("baseline", Map.of("AUTOHEAL_INVENTORY_ENABLED", "false")),
    INVENTORY("inventory", Map.of("AUTOHEAL_INVENTORY_ENABLED", "true"));

    final String label;
    final Map<String, String> env;

    Mode(String label, Map<String, String> env) {
        this.label = label;
        this.env = env;
    }
}
