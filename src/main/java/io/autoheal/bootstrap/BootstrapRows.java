package io.autoheal.bootstrap;

import io.autoheal.api.v1alpha1.InstanceBootstrapStatus;
import java.time.Instant;

/** Converts between the status row and the decision's record. */
public final class BootstrapRows {
    private BootstrapRows() {
    }

    public static BootstrapRecord toRecord(InstanceBootstrapStatus row, Instant now) {
        if (row == null || row.phase == null) {
            return BootstrapRecord.fresh(now);
        }
        return new BootstrapRecord(row.jobId, BootstrapRecord.Phase.valueOf(row.phase), row.attempts == null ? 0 : row.attempts,
                time(row.since), time(row.triggeredAt), time(row.nextAttemptAt),
                row.lastFailure == null ? null : BootstrapRecord.Failure.valueOf(row.lastFailure), row.message);
    }

    public static InstanceBootstrapStatus toRow(BootstrapRecord r) {
        InstanceBootstrapStatus row = new InstanceBootstrapStatus();
        row.jobId = r.jobId();
        row.phase = r.phase().name();
        row.attempts = r.attempts();
        row.since = text(r.since());
        row.triggeredAt = text(r.triggeredAt());
        row.nextAttemptAt = text(r.nextAttemptAt());
        row.lastFailure = r.lastFailure() == null ? null : r.lastFailure().name();
        row.message = r.message();
        return row;
    }

    private static Instant time(String s) {
        return s == null ? null : Instant.parse(s);
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
