package io.autoheal.cluster.healing;

import io.autoheal.api.v1alpha1.RemediationRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the remediation journal holds after an append: the records the API server has (the last hour of them, as
 * read just now, never a cached copy), then the new ones, a machine already recorded not twice. Pure.
 */
public final class JournalRecords {
    /** How long a record counts toward spec.health.maxRemediationsPerHour. */
    public static final Duration WINDOW = Duration.ofHours(1);

    private JournalRecords() {
    }

    public static List<RemediationRecord> append(List<RemediationRecord> stored, List<RemediationRecord> added, Instant now) {
        List<RemediationRecord> out = new ArrayList<>();
        for (RemediationRecord r : Objects.requireNonNullElse(stored, List.<RemediationRecord>of())) {
            if (inWindow(r, now)) {
                out.add(r);
            }
        }
        for (RemediationRecord r : added) {
            if (out.stream().noneMatch(s -> Objects.equals(s.instanceId, r.instanceId))) {
                out.add(r);
            }
        }
        return out;
    }

    private static boolean inWindow(RemediationRecord r, Instant now) {
        if (r.time == null) {
            return false;
        }
        try {
            return Instant.parse(r.time).isAfter(now.minus(WINDOW));
        } catch (java.time.format.DateTimeParseException e) {
            return false; // a record nobody can date counts for nothing (the callers prune it too)
        }
    }
}
