package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class HealingClusterStatus {
    @JsonPropertyDescription("The metadata.generation this status was computed for.")
    public Long observedGeneration;

    @JsonPropertyDescription("The AWS region in use (spec.region or the operator default).")
    public String region;

    @JsonPropertyDescription("The AWS identity the cluster's group, launch template and machines live in, recorded before the "
            + "first AWS write; see awsIdentity.role.")
    public AwsIdentityStatus awsIdentity;

    @JsonPropertyDescription("Name of the Auto Scaling Group of this cluster.")
    public String asgName;

    @JsonPropertyDescription("ID of the launch template the ASG uses (owned by the operator when spec.template.machine is used).")
    public String launchTemplateId;

    @StatusReplicas
    @JsonPropertyDescription("Machines in the cluster that are not leaving it (the /scale subresource's status.replicas).")
    public Integer replicas;

    @LabelSelector
    @JsonPropertyDescription("Label selector of the cluster's bootstrap Jobs, as a string (the /scale subresource's selector, "
            + "which a HorizontalPodAutoscaler requires).")
    public String selector;

    @JsonPropertyDescription("Machines that are healthy: running, in service, with their Elastic IP (if required) and bootstrapped.")
    public Integer readyReplicas;

    @JsonPropertyDescription("Machines classified Unhealthy.")
    public Integer unhealthyReplicas;

    @JsonPropertyDescription("Machines whose bootstrap succeeded.")
    public Integer bootstrappedReplicas;

    @JsonPropertyDescription("Machines that carry an Elastic IP from the cluster's pool.")
    public Integer elasticIps;

    @JsonPropertyDescription("One row per machine of the Auto Scaling Group.")
    public List<InstanceStatus> instances = new ArrayList<>();

    @JsonPropertyDescription("Warm spares (spec.warmPool): each spare's warm-pool state and its bootstrap while warmed. Not machines of the cluster.")
    public List<WarmSpareStatus> warmSpares;

    @JsonPropertyDescription("Replacements made by the operator in the last hour (the healing budget's memory across restarts).")
    public List<RemediationRecord> recentRemediations = new ArrayList<>();

    @JsonPropertyDescription("End time of the newest failed launch activity counted in autoheal_launch_failures_total (RFC 3339): "
            + "each failed launch is counted once, across restarts.")
    public String launchFailuresCountedThrough;

    @JsonPropertyDescription("Where the rollout stands (set when spec.rollout is): versions, progress, phase, a remembered failure.")
    public RolloutStatus rollout;

    @JsonPropertyDescription("Standard conditions: Ready, Progressing, Degraded, RemediationBlocked, Bootstrapped, LaunchFailing.")
    public List<Condition> conditions = new ArrayList<>();

    /** The {@link #selector} of cluster {@code name}: the label its bootstrap Jobs carry (bootstrap.JobLauncher). */
    public static String selectorFor(String name) {
        return "autoheal.io/cluster=" + name;
    }
}
