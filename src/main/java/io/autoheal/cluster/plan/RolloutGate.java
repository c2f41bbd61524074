package io.autoheal.cluster.plan;

import io.autoheal.api.v1alpha1.RemediationRecord;
import io.autoheal.cluster.healing.HealingPlan;
import io.autoheal.cluster.healing.Machine;
import io.autoheal.cluster.healing.Verdict;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pure: a rollout stops when the version it rolls to fails. While older machines remain, a machine of the wanted
 * version that is unhealthy now, or that was replaced for a failure within the sliding hour (its journal record
 * names the version), stops the rollout: no surge, no in-place roll. It resumes an hour after the last failure (a
 * transient refusal gets one more try per hour) or at once when the spec names another version.
 */
final class RolloutGate {
    private RolloutGate() {
    }

    static Optional<String> stopped(List<Machine> machines, HealingPlan health, String wanted, List<RemediationRecord> recent) {
        if (wanted == null || wanted.startsWith("$")) {
            return Optional.empty();
        }
        Map<String, Verdict> verdicts = new HashMap<>();
        health.verdicts().forEach(v -> verdicts.put(v.instanceId(), v));
        boolean pending = machines.stream().anyMatch(m -> verdicts.containsKey(m.instanceId())
                && verdicts.get(m.instanceId()).state() != Verdict.State.LEAVING
                && m.version() != null && !m.version().startsWith("$") && !wanted.equals(m.version()));
        if (!pending) {
            return Optional.empty();
        }
        Optional<String> failingNow = machines.stream().filter(m -> wanted.equals(m.version()))
                .flatMap(m -> ClusterPlanner.failure(verdicts.get(m.instanceId())).filter(RolloutGate::versionFault)
                        .map(r -> m.instanceId() + " (" + r + ")").stream())
                .findFirst();
        Optional<String> failedThisHour = recent.stream().filter(r -> wanted.equals(r.version) && failed(r.reason))
                .map(r -> r.instanceId + " (" + r.reason + ", " + r.time + ")").findFirst();
        return failingNow.or(() -> failedThisHour).map(which -> "The rollout to launch template version " + wanted + " stopped: "
                + which + " of that version failed. No machine surges or rolls onto it until an hour after its last failure; "
                + "a new version (a fixed spec.template) resumes at once");
    }

    private static boolean failed(String reason) {
        try {
            return versionFault(Verdict.Reason.valueOf(reason));
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    /** A failure the version may cause: not a roll, not AWS's advice or its Spot interruption, not a machine already gone. */
    static boolean versionFault(Verdict.Reason r) {
        return r != Verdict.Reason.Outdated && !r.advisory() && !r.alreadyGone() && r != Verdict.Reason.SpotInterruption;
    }
}
