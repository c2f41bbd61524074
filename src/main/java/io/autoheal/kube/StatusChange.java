package io.autoheal.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Whether a newly built status differs from the one the API server holds, compared as JSON (what would be sent):
 * a reconcile that changes nothing writes nothing, so a fleet at rest costs the API server no writes per resync.
 * The condition builder keeps lastTransitionTime while a condition holds, so an unchanged world builds an equal status.
 */
public final class StatusChange {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusChange() {
    }

    public static boolean changed(Object before, Object after) {
        if (before == null || after == null) {
            return before != after;
        }
        JsonNode a = JSON.valueToTree(before);
        JsonNode b = JSON.valueToTree(after);
        return !a.equals(b);
    }
}
