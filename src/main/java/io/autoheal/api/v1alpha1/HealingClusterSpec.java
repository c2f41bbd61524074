package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.region) == has(oldSelf.region) && (!has(self.region) || self.region == oldSelf.region)",
        message = "spec.region is immutable: create a new HealingCluster to move to another region")
@ValidationRule(value = "has(self.autoScalingGroupName) == has(oldSelf.autoScalingGroupName)"
        + " && (!has(self.autoScalingGroupName) || self.autoScalingGroupName == oldSelf.autoScalingGroupName)",
        message = "spec.autoScalingGroupName is immutable")
@ValidationRule(value = "!has(self.warmPool) || !has(self.template.instanceTypes)",
        message = "spec.warmPool: AWS does not support warm pools for an Auto Scaling group with a mixed instances policy (spec.template.instanceTypes)")
@ValidationRule(value = "!has(self.warmPool) || !has(self.template.spotPercentage) || self.template.spotPercentage == 0",
        message = "spec.warmPool: AWS does not support warm pools with Spot instances (spec.template.spotPercentage)")
@ValidationRule(value = "!has(self.warmPool) || !has(self.bootstrap) || self.bootstrap.gateLaunch",
        message = "spec.warmPool with spec.bootstrap needs spec.bootstrap.gateLaunch: true (the launch hook holds each spare in Warmed:Pending:Wait until its bootstrap succeeds)")
public class HealingClusterSpec {

    @Required
    @Size(min = 1, max = 16)
    @JsonPropertyDescription("Configuration roles of every machine in the cluster, as the bootstrapper takes them (joined with commas), e.g. [voip]. Each: 1-64 letters, digits, '_', '.' or '-'.")
    public List<@Pattern("^[A-Za-z0-9_.-]{1,64}$") String> roles;

    @Required
    @Pattern("^[A-Za-z0-9_.-]{1,64}$")
    @JsonPropertyDescription("Environment of the machines (e.g. staging, production); passed to the bootstrapper as env and tagged autoheal.io/env.")
    public String environment;

    @Pattern("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$")
    @JsonPropertyDescription("AWS region of the cluster, e.g. us-east-1. Defaults to the operator's configured region. Immutable.")
    public String region;

    @Pattern("^[A-Za-z0-9_.:/()#,@\\[\\]+=&;{}!$*-]{1,255}$")
    @JsonPropertyDescription("Adopt this existing Auto Scaling Group instead of creating one named after the cluster. The operator tags it as its own. Immutable.")
    public String autoScalingGroupName;

    @Required
    @JsonPropertyDescription("Sizes of the Auto Scaling Group. spec.capacity.desired is the /scale subresource, so 'kubectl scale' works.")
    public Capacity capacity;

    @Required
    @JsonPropertyDescription("What each machine is launched from: an existing launch template, or an inline machine spec the operator turns into a launch template it owns.")
    public MachineTemplate template;

    @Required
    @Size(min = 1, max = 32)
    @JsonPropertyDescription("Subnets (one or more, ideally in several availability zones) the Auto Scaling Group launches into.")
    public List<@Pattern("^subnet-[0-9a-f]{8,17}$") String> subnetIds;

    @JsonPropertyDescription("Elastic IPs: every machine gets a public address from this pool and keeps it for its life; a replacement gets its predecessor's address.")
    public ElasticIpsSpec elasticIps;

    @JsonPropertyDescription("Bootstrap job triggered once for every new machine (an Ansible run through the bootstrapper HTTP API, or a Kubernetes Job).")
    public BootstrapSpec bootstrap;

    @JsonPropertyDescription("Warm spares (opt-in): an Auto Scaling warm pool of spec.warmPool.size instances beyond desired, each bootstrapped "
            + "while warmed, so a replacement is Ready with its predecessor's Elastic IP without waiting for a bootstrap. Not with a mixed "
            + "instances policy or Spot (AWS does not support it).")
    public WarmPoolSpec warmPool;

    @JsonPropertyDescription("Drain job run on every machine before it is terminated (healing, rollout, scale-in and the group's own terminations): the machine waits in Terminating:Wait until the drain ends. A rollout then also surges: one new machine in service before an old one leaves, within capacity.max.")
    public DrainSpec drain;

    @JsonPropertyDescription("Rollouts judged by their new machines (opt-in): surge, bake time, checkpoints, abort on alerts and "
            + "automatic rollback. Unset: a template change rolls one machine at a time (surging when capacity.desired < capacity.max) "
            + "and stops when the new version fails (RolloutStopped).")
    public RolloutSpec rollout;

    @JsonPropertyDescription("Service discovery (opt-in): publish the machines in service as EndpointSlices of a Service named after "
            + "the cluster, a ConfigMap <cluster>-members (JSON and an optional rendered template) and Prometheus HTTP SD targets.")
    public DiscoverySpec discovery;

    @Default("{}")
    @JsonPropertyDescription("When a machine counts as unhealthy and how fast the operator may replace machines.")
    public HealthSpec health = new HealthSpec();

    @JsonPropertyDescription("What happens to the Auto Scaling Group and the operator-owned launch template when this resource is deleted: "
            + "Delete (the group is scaled to zero through its terminating hook, each machine drained when spec.drain is set, then the "
            + "empty group and the template are deleted; the resource stays until they are gone; the annotation "
            + "autoheal.io/force-delete: \"true\" terminates every machine at once instead) or Orphan (left running, untagged as "
            + "managed). Unset: Delete for a group the operator created, Orphan for an adopted one (spec.autoScalingGroupName).")
    public DeletionPolicy deletionPolicy;

    @Default("false")
    @JsonPropertyDescription("When true the operator takes no action on the cluster (no scaling, healing, addresses or bootstrap) but keeps observing and reporting status.")
    public boolean paused;
}
