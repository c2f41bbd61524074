package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

public class HealthSpec {
    @Default("10m")
    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("A machine not healthy (running, in service, bootstrapped) this long after launch is Unhealthy (StartupTimeout). Default 10m.")
    public String startupTimeout = "10m";

    @Default("5m")
    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("A machine whose EC2 status checks stay impaired this long is Unhealthy (StatusCheckImpaired). Default 5m.")
    public String unhealthyAfter = "5m";

    @Default("40%")
    @ValidationRule(value = "type(self) == int ? self >= 0 : self.matches('^(100|[1-9]?[0-9])%$')",
            message = "spec.health.maxUnhealthy must be a count >= 0 or a percentage between 0% and 100%")
    @JsonPropertyDescription("If more machines than this (count, or percentage of desired rounded down) are unhealthy, nothing is replaced and RemediationBlocked is set: protects against an AZ outage or a bad AMI turning into mass termination. Default 40%.")
    public IntOrString maxUnhealthy = new IntOrString("40%");

    @Default("10")
    @Min(0)
    @Max(1000)
    @JsonPropertyDescription("At most this many replacements in any sliding hour. Default 10.")
    public int maxRemediationsPerHour = 10;

    @Default("false")
    @JsonPropertyDescription("When true the operator suspends the ASG's own ReplaceUnhealthy process so that only the operator, within its budget, replaces machines. Trade-off: nothing heals while the operator is down. Default false.")
    public boolean exclusiveHealing;
}
