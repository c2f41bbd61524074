package io.autoheal.bootstrap;

/** The outcome of asking for a job: its id, or why none was started (a value, never an exception). */
public record TriggerResult(String jobId, BootstrapRecord.Failure failure, String message) {

    public static TriggerResult started(String jobId) {
        return new TriggerResult(jobId, null, null);
    }

    public static TriggerResult failed(BootstrapRecord.Failure failure, String message) {
        return new TriggerResult(null, failure, message);
    }

    public boolean ok() {
        return jobId != null;
    }
}
