package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.ArrayList;
import java.util.List;

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

    @Size(max = 10)
    @ValidationRule(value = "self.all(p, self.filter(q, q.name == p.name).size() == 1)", message = "spec.health.probes: probe names must be unique")
    @JsonPropertyDescription("Application probes (HTTP, TCP or SIP OPTIONS) sent to every machine in service. A machine failing one failureThreshold times in a row is Unhealthy (ProbeFailed) and replaced within maxUnhealthy, maxRemediationsPerHour, drain and surge; it is not ready in discovery meanwhile.")
    public List<ProbeSpec> probes = new ArrayList<>();

    @Size(max = 5)
    @JsonPropertyDescription("ELBv2 target group ARNs: the group is attached to them, and a machine whose target stays unhealthy for unhealthyAfter is Unhealthy (TargetUnhealthy).")
    public List<@Pattern("^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$") String> targetGroupArns = new ArrayList<>();

    @Size(max = 20)
    @JsonPropertyDescription("Prometheus alert names: while an alert of one of these names, labelled instance_id=<the machine>, fires at the operator's Alertmanager webhook (POST /alertmanager), the machine is Unhealthy (AlertFiring).")
    public List<@Pattern("^[A-Za-z_][A-Za-z0-9_]{0,127}$") String> alerts = new ArrayList<>();
}
