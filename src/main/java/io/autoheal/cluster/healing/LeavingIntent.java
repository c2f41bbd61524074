package io.autoheal.cluster.healing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pure: which machines leaving by the operator's own choice ({@link CapacityDecider.Decision#leave()}) are written to
 * status.recentRemediations before they are terminated (intent first), and under which reason. An old-version machine
 * of a rollout is recorded as Outdated, a live machine replaced surge-first under its advice's reason; a plain
 * scale-in is not a remediation; a machine already recorded (an earlier pass whose termination did not land) is not
 * recorded twice.
 */
public final class LeavingIntent {
    /** One record to write: the machine and the remediation reason. */
    public record Record(String instanceId, Verdict.Reason reason) {
    }

    private LeavingIntent() {
    }

    /**
     * @param versions      launch template version of each group member (as the group reports it)
     * @param wantedVersion the version the cluster rolls to; a "$Latest"/"$Default" alias never makes a machine Outdated
     * @param alreadyRecorded instance ids in status.recentRemediations
     */
    public static List<Record> records(CapacityDecider.Decision decision, Map<String, String> versions, String wantedVersion,
                                       Set<String> alreadyRecorded) {
        List<Record> out = new ArrayList<>();
        for (String id : decision.leave()) {
            if (!alreadyRecorded.contains(id) && !decision.replacesBySurge(id) && versions.containsKey(id) && wantedVersion != null
                    && !wantedVersion.startsWith("$") && !wantedVersion.equals(versions.get(id))) {
                out.add(new Record(id, Verdict.Reason.Outdated));
            }
        }
        for (HealingPlan.Remediation r : decision.replacedBySurge()) {
            if (decision.leave().contains(r.instanceId()) && !alreadyRecorded.contains(r.instanceId())) {
                out.add(new Record(r.instanceId(), r.reason()));
            }
        }
        return List.copyOf(out);
    }

    /** Room left in the sliding hour of spec.health.maxRemediationsPerHour (the same window HealthDecider counts). */
    public static boolean quotaRoom(Collection<Instant> recent, int maxPerHour, Instant now) {
        return recent.stream().filter(t -> t.isAfter(now.minus(HealthDecider.HOUR))).count() < maxPerHour;
    }
}
