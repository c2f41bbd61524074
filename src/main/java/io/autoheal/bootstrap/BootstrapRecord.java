package io.autoheal.bootstrap;

import java.time.Instant;

/**
 * A machine's bootstrap as remembered between passes (status.instances[].bootstrap, and the EC2 tag
 * autoheal.io/bootstrap-job for the job id). Immutable: the decision returns the next record.
 */
public record BootstrapRecord(String jobId, Phase phase, int attempts, Instant since, Instant triggeredAt, Instant nextAttemptAt,
                              Failure lastFailure, String message) {

    public enum Phase { Pending, Queued, Running, Succeeded, Failed }

    /** Why the last try went wrong; the names appear in status and Events. */
    public enum Failure { HttpStatus, EmptyBody, Unparseable, Timeout, ConnectionRefused, Unreachable, Tls, JobFailed, JobTimedOut, Rejected }

    public static BootstrapRecord fresh(Instant now) {
        return new BootstrapRecord(null, Phase.Pending, 0, now, null, null, null, null);
    }

    /** A triggered job without a final answer yet. ({@code jobId} otherwise names the last job, for the record.) */
    public boolean inFlight() {
        return jobId != null && (phase == Phase.Queued || phase == Phase.Running);
    }
}
