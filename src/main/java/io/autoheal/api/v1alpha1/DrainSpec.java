package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * spec.drain: a job run on every machine before it is terminated, with the same runners as the bootstrap. The
 * operator holds every termination of the group in Terminating:Wait (a terminating lifecycle hook) until it ends.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.http) != has(self.job)", message = "spec.drain: set exactly one of http or job")
public class DrainSpec {
    /** The default of {@link #timeout}, for readers of a spec whose value does not parse. */
    public static final java.time.Duration DEFAULT_TIMEOUT = java.time.Duration.ofMinutes(10);

    @JsonPropertyDescription("Trigger the drain through a bootstrapper HTTP API (as spec.bootstrap.http; the role sent is spec.drain.role).")
    public HttpBootstrapSpec http;

    @JsonPropertyDescription("Run the drain as a Kubernetes Job created from this template, owned by the HealingCluster (env as for bootstrap jobs, AUTOHEAL_ROLE is spec.drain.role).")
    public JobBootstrapSpec job;

    @Default("drain")
    @Pattern("^[A-Za-z0-9_.,-]{1,128}$")
    @JsonPropertyDescription("Role (playbook) the drain runs, sent as the form field role (http) or AUTOHEAL_ROLE (job), e.g. drain.")
    public String role = "drain";

    @Default("10m")
    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("How long a drain may take, e.g. 10m: from its trigger to a final answer, or, while it cannot be triggered (runner unreachable), from the moment the machine waits in Terminating:Wait. Then spec.drain.onTimeout decides.")
    public String timeout = "10m";

    @Default("Continue")
    @JsonPropertyDescription("When the drain did not succeed within the timeout (or its job failed): Continue (default) terminates the machine anyway; Keep leaves it in Terminating:Wait (condition DrainStuck) for a person to look at.")
    public DrainTimeoutAction onTimeout = DrainTimeoutAction.Continue;
}
