package io.autoheal.bootstrap;

/**
 * Starts and follows bootstrap jobs (the seed's HTTP bootstrapper, or a Kubernetes Job). Expected bad answers
 * (HTTP errors, timeouts, garbage, refused connections) come back as values with a {@link BootstrapFailure},
 * never as exceptions, and their messages carry no secrets.
 */
public interface BootstrapRunner {
    TriggerResult trigger(BootstrapRequest request);

    /**
     * @param host the machine's address as the trigger sent it (a play recap names hosts; runners that do not
     *             need it ignore it)
     */
    JobStatus status(String jobId, String host);

    /** Where the calls go (host and port), for the concurrency limit per endpoint; runners inside the cluster share one. */
    default String endpoint() {
        return "kubernetes";
    }
}
