package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class InstanceBootstrapStatus {
    @JsonPropertyDescription("Job id returned by the bootstrapper, or the name of the Kubernetes Job.")
    public String jobId;
    @JsonPropertyDescription("Pending, Queued, Running, Succeeded or Failed.")
    public String phase;
    @JsonPropertyDescription("Attempts so far (triggers).")
    public Integer attempts;
    @JsonPropertyDescription("Since when the job has been in this phase (RFC 3339).")
    public String since;
    @JsonPropertyDescription("When the current attempt was triggered (RFC 3339).")
    public String triggeredAt;
    @JsonPropertyDescription("Earliest time of the next attempt after a failure (RFC 3339).")
    public String nextAttemptAt;
    @JsonPropertyDescription("Last heartbeat sent to the launch lifecycle hook (RFC 3339).")
    public String lastHeartbeat;
    @JsonPropertyDescription("Reason of the last failure, e.g. HttpStatus, Timeout, JobFailed.")
    public String lastFailure;
    @JsonPropertyDescription("Short human-readable detail of the last failure.")
    public String message;
}
