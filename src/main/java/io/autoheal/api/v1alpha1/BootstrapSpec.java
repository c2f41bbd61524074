package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.http) != has(self.job)", message = "spec.bootstrap: set exactly one of http or job")
public class BootstrapSpec {
    /** The default of {@link #timeout}, for readers of a spec whose value does not parse. */
    public static final java.time.Duration DEFAULT_TIMEOUT = java.time.Duration.ofMinutes(30);

    @JsonPropertyDescription("Trigger the bootstrap through a bootstrapper HTTP API (compatible with the Ansible+Flask bootstrapper and AWX-style states).")
    public HttpBootstrapSpec http;

    @JsonPropertyDescription("Run the bootstrap as a Kubernetes Job created from this template, owned by the HealingCluster.")
    public JobBootstrapSpec job;

    @Default("30m")
    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("How long one bootstrap attempt may take, from trigger to a final phase, e.g. 30m. A longer job counts as failed.")
    public String timeout = "30m";

    @Default("3")
    @Min(1)
    @Max(10)
    @JsonPropertyDescription("Attempts per machine (1-10). After the last failed attempt the machine is Unhealthy (BootstrapFailed) and is replaced.")
    public int maxAttempts = 3;

    @Default("false")
    @JsonPropertyDescription("When true, new machines wait in Pending:Wait (an ASG launch lifecycle hook) until their bootstrap succeeds; a final failure abandons the launch.")
    public boolean gateLaunch;
}
