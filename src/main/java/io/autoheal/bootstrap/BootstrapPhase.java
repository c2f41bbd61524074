package io.autoheal.bootstrap;

/**
 * Where a machine's bootstrap stands. The constant names are the values of status.instances[].bootstrap.phase
 * (CamelCase like Pod phases), so they must not be renamed.
 */
public enum BootstrapPhase {
    /** Not triggered yet (or the trigger was not accepted: no job exists). */
    Pending,
    /** Triggered; the bootstrapper has not started the job. */
    Queued,
    /** The job is running. */
    Running,
    /** The job ended well. Final. */
    Succeeded,
    /** The last job ended badly; retried unless attempts are used up. */
    Failed;

    /** A job exists and has no final answer yet. */
    public boolean inFlight() {
        return this == Queued || this == Running;
    }
}
