package io.autoheal.bootstrap;

/** The outcome of asking for a job: its id, or why none was started (a value, never an exception). */
public record TriggerResult(String jobId, BootstrapFailure failure, String message) {

    public static TriggerResult started(String jobId) {
        return new TriggerResult(jobId, null, null);
    }

    /** @param message short detail, safe to show in status (never a secret) */
    public static TriggerResult failed(BootstrapFailure failure, String message) {
        return new TriggerResult(null, failure, message);
    }

    public boolean ok() {
        return jobId != null;
    }
}
