package io.autoheal.bootstrap;

/** What a runner reports about a job: a phase, or a failure to find out (then the phase is unknown). */
public record JobStatus(BootstrapRecord.Phase phase, BootstrapRecord.Failure failure, String message) {

    public static JobStatus of(BootstrapRecord.Phase phase) {
        return new JobStatus(phase, null, null);
    }

    public static JobStatus unknown(BootstrapRecord.Failure failure, String message) {
        return new JobStatus(null, failure, message);
    }
}
