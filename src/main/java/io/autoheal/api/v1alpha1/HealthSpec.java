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
    @JsonPropertyDescription("A machine that has not reached the point where its bootstrap can start (running, in service or held by the launch gate, holding its Elastic IP when required) this long after launch is Unhealthy (StartupTimeout); without bootstrap, one not healthy by then. A machine whose bootstrap job was triggered is Bootstrapping and gets the bootstrap's own bound on top (bootstrap.timeout and the retry back-off, per attempt), so a long playbook is never cut short. Default 10m.")
    public String startupTimeout = "10m";

    @Default("5m")
    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("A machine whose EC2 status checks stay impaired this long is Unhealthy (StatusCheckImpaired). Default 5m.")
    public String unhealthyAfter = "5m";

    @Default("40%")
    @ValidationRule(value = "type(self) == int ? self >= 0 : self.matches('^(100|[1-9]?[0-9])%$')",
            message = "spec.health.maxUnhealthy must be a count >= 0 or a percentage between 0% and 100%")
    @JsonPropertyDescription("If more machines than this (count, or percentage of max(desired, machines) rounded down — but never less than 1) are unhealthy, nothing is replaced and RemediationBlocked is set: protects against an AZ outage or a bad AMI turning into mass termination. One unhealthy machine can always be replaced, so 1- and 2-machine clusters heal with every setting (0 and 0% mean one at a time). To stop replacements, set maxRemediationsPerHour to 0 or spec.paused. Default 40%.")
    public IntOrString maxUnhealthy = new IntOrString("40%");

    @Default("10")
    @Min(0)
    @Max(1000)
    @JsonPropertyDescription("At most this many replacements (healing and rollout) in any sliding hour; 0 stops replacements. Each is recorded in status.recentRemediations before its machine is terminated, so a restart or a failed status write cannot reset the count. Default 10.")
    public int maxRemediationsPerHour = 10;

    @Default("true")
    @JsonPropertyDescription("When true (the default) the operator suspends the ASG's own ReplaceUnhealthy process — and suspends it again if a person resumes it — so that every replacement goes through the operator's budget, hourly cap and autoheal.io/skip-remediation tag. Trade-off: nothing heals while the operator is down (the AutohealOperatorDown alert says so). When false, AWS also replaces machines it finds unhealthy (stopped, impaired, terminated) at once, outside all three limits. Default true.")
    public boolean exclusiveHealing = true;
}
