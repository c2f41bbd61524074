package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class InstanceStatus {
    @JsonPropertyDescription("EC2 instance ID.")
    public String instanceId;
    @JsonPropertyDescription("Availability zone.")
    public String zone;
    @JsonPropertyDescription("Private IPv4 address (the host the bootstrapper configures).")
    public String privateIp;
    @JsonPropertyDescription("Public IPv4 address.")
    public String publicIp;
    @JsonPropertyDescription("Allocation ID of the Elastic IP on this machine, if any.")
    public String eipAllocationId;
    @JsonPropertyDescription("Set when the machine holds an Elastic IP that is not one of its pool's (attached by someone else, or "
            + "another pool's): it keeps that address, and the pool assigns it none of its own.")
    public String eipNote;
    @JsonPropertyDescription("EC2 instance state: pending, running, stopping, stopped, shutting-down, terminated.")
    public String state;
    @JsonPropertyDescription("Auto Scaling lifecycle state, e.g. Pending:Wait, InService, Terminating.")
    public String lifecycle;
    @JsonPropertyDescription("Launch time (RFC 3339).")
    public String launchTime;
    @JsonPropertyDescription("Operator's verdict: Healthy, Starting, Unhealthy or Leaving.")
    public InstanceHealth health;
    @JsonPropertyDescription("Why the machine is not healthy (e.g. Stopped, StatusCheckImpaired, StartupTimeout, BootstrapFailed).")
    public String reason;
    @JsonPropertyDescription("Since when the machine has been impaired or unhealthy (RFC 3339), carried across reconciles.")
    public String unhealthySince;
    @JsonPropertyDescription("For an application-health reason (ProbeFailed, TargetUnhealthy, AlertFiring): what failed — the probe's name, the target group's ARN or the alert's name.")
    public String healthSource;
    @JsonPropertyDescription("For an application-health reason: the last error, e.g. HTTP 503, connection refused, timeout after 1s.")
    public String healthDetail;
    @JsonPropertyDescription("Bootstrap job of this machine.")
    public InstanceBootstrapStatus bootstrap;
    @JsonPropertyDescription("Drain job of this machine while it waits in Terminating:Wait (spec.drain).")
    public InstanceBootstrapStatus drain;
}
