package io.autoheal.bootstrap;

import io.autoheal.api.v1alpha1.InstanceBootstrapStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Converts between status.instances[].bootstrap and {@link BootstrapRecord}; restores a record with its EC2 tag. */
public final class BootstrapRows {
    private BootstrapRows() {
    }

    /**
     * The record to plan with: the status row, reconciled with the job id on the instance's tag
     * (autoheal.io/bootstrap-job). The tag wins when the row lacks that job, so a crash between trigger and status
     * write never leads to a second trigger.
     */
    public static BootstrapRecord restore(InstanceBootstrapStatus row, String taggedJobId, BootstrapPolicy policy, Instant now) {
        return BootstrapStateMachine.adoptTaggedJob(toRecord(row, now), taggedJobId, policy, now);
    }

    /** A row someone edited into nonsense reads as far as it can: unknown values become "not known". */
    public static BootstrapRecord toRecord(InstanceBootstrapStatus row, Instant now) {
        if (row == null || row.phase == null) {
            return BootstrapRecord.fresh(now);
        }
        BootstrapPhase phase = parse(BootstrapPhase.class, row.phase);
        if (phase == null || phase.inFlight() && row.jobId == null) {
            return BootstrapRecord.fresh(now);
        }
        Instant triggeredAt = time(row.triggeredAt);
        if (phase.inFlight() && triggeredAt == null) {
            triggeredAt = now; // keeps the timeout working
        }
        return new BootstrapRecord(row.jobId, phase, row.attempts == null ? 0 : Math.max(0, row.attempts), orElse(time(row.since), now),
                triggeredAt, time(row.nextAttemptAt), parse(BootstrapFailure.class, row.lastFailure), row.message, time(row.lastHeartbeat));
    }

    public static InstanceBootstrapStatus toRow(BootstrapRecord r) {
        InstanceBootstrapStatus row = new InstanceBootstrapStatus();
        row.jobId = r.jobId();
        row.phase = r.phase().name();
        row.attempts = r.attempts();
        row.since = text(r.since());
        row.triggeredAt = text(r.triggeredAt());
        row.nextAttemptAt = text(r.nextAttemptAt());
        row.lastHeartbeat = text(r.lastHeartbeat());
        row.lastFailure = r.lastFailure() == null ? null : r.lastFailure().name();
        row.message = r.message();
        return row;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Instant time(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant orElse(Instant t, Instant fallback) {
        return t == null ? fallback : t;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
