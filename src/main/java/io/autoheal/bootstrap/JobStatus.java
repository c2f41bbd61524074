package io.autoheal.bootstrap;

/**
 * What a runner reports about a job: its phase, or why it could not find out (then {@code phase} is null and the
 * record keeps its phase: only the attempt timeout ends a job nobody can ask about).
 *
 * @param message short detail, safe to show in status
 */
public record JobStatus(BootstrapPhase phase, BootstrapFailure failure, String message) {

    public static JobStatus of(BootstrapPhase phase) {
        return new JobStatus(phase, null, null);
    }

    /** The job ended badly; the message says how (e.g. what the bootstrapper reported). */
    public static JobStatus failed(String message) {
        return new JobStatus(BootstrapPhase.Failed, BootstrapFailure.JobFailed, message);
    }

    /** No usable answer about the job (network, HTTP status, garbage). */
    public static JobStatus unknown(BootstrapFailure failure, String message) {
        return new JobStatus(null, failure, message);
    }

    public boolean known() {
        return phase != null;
    }
}
