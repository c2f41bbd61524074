package io.autoheal.cluster;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterStatus;
import io.autoheal.api.v1alpha1.HealthSpec;
import io.autoheal.api.v1alpha1.InstanceHealth;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.api.v1alpha1.RemediationRecord;
import io.autoheal.cloud.ClusterObservation;
import io.autoheal.cloud.ObservedAsg;
import io.autoheal.cloud.ObservedInstance;
import io.autoheal.cloud.aws.AsgWriter;
import io.autoheal.cloud.aws.AwsErrors;
import io.autoheal.cluster.healing.HealingPlan;
import io.autoheal.cluster.healing.HealthDecider;
import io.autoheal.cluster.healing.HealthPolicy;
import io.autoheal.cluster.healing.MachineState;
import io.autoheal.cluster.healing.RolloutDecider;
import io.autoheal.cluster.healing.Verdict;
import io.autoheal.api.v1alpha1.Durations;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import io.autoheal.metrics.ClusterMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Healing of one cluster: builds the decision's input from AWS and the last status, runs the pure
 * {@link HealthDecider}, replaces what it says (TerminateInstanceInAutoScalingGroup without decrement, so the
 * ASG launches a successor) and reports each replacement with an Event and a counter.
 */
@ApplicationScoped
public class ClusterHealer {
    static final Duration MAX_CHECK_INTERVAL = Duration.ofSeconds(30);
    private final AsgWriter asgWriter;
    private final EventRecorder events;
    private final ClusterMetrics metrics;

    public ClusterHealer(AsgWriter asgWriter, EventRecorder events, ClusterMetrics metrics) {
        this.asgWriter = asgWriter;
        this.events = events;
        this.metrics = metrics;
    }

    /** The plan and the replacements actually made in this pass (with the pruned hour of history). */
    public record Result(HealingPlan plan, List<RemediationRecord> recentRemediations) {
    }

    public Result heal(HealingCluster hc, String region, ClusterObservation observed, HealingClusterStatus previous,
                       Map<String, MachineState.Bootstrap> bootstrap, String wantedVersion, Instant now) {
        HealthPolicy policy = policy(hc.getSpec().health);
        List<RemediationRecord> recent = new ArrayList<>();
        for (RemediationRecord r : Objects.requireNonNullElse(previous.recentRemediations, List.<RemediationRecord>of())) {
            if (r.time != null && Instant.parse(r.time).isAfter(now.minus(Duration.ofHours(1)))) {
                recent.add(r);
            }
        }
        List<MachineState> machines = machines(observed, previous, bootstrap);
        HealingPlan plan = HealthDecider.decide(machines, policy, hc.getSpec().capacity.desired,
                recent.stream().map(r -> Instant.parse(r.time)).toList(), now);
        if (!hc.getSpec().paused) {
            for (HealingPlan.Remediation r : plan.remediate()) {
                if (heldByLaunchGate(hc, observed, r.instanceId())) {
                    continue; // the bootstrapper answers the launch hook with ABANDON: that is this machine's replacement
                }
                try {
                    asgWriter.replaceInstance(region, r.instanceId());
                    recent.add(new RemediationRecord(r.instanceId(), r.reason().name(), now.toString()));
                    metrics.remediation(hc, r.reason().name());
                    events.warning(hc, Reason.Remediated, "ReplaceInstance", "Replacing " + r.instanceId() + " (" + r.reason()
                            + "): terminated in its Auto Scaling Group, which launches a successor");
                } catch (SdkException e) { // service errors and timeouts alike: the records made so far must survive
                    events.warning(hc, Reason.AwsError, "ReplaceInstance", "Could not replace " + r.instanceId() + ": " + AwsErrors.describe(e));
                }
            }
        }
        if (!hc.getSpec().paused) {
            roll(hc, region, observed, plan, wantedVersion, policy, recent, now);
        }
        announceExternalTerminations(hc, observed, previous, recent);
        return new Result(plan, recent);
    }

    /** One machine at a time onto the current launch template version, within the same budget. */
    private void roll(HealingCluster hc, String region, ClusterObservation observed, HealingPlan plan, String wantedVersion,
                      HealthPolicy policy, List<RemediationRecord> recent, Instant now) {
        List<RolloutDecider.Member> members = observed.asg().map(ObservedAsg::members).orElse(List.of()).stream()
                .map(m -> new RolloutDecider.Member(m.instanceId(), m.launchTemplateVersion(),
                        observed.instances().containsKey(m.instanceId()) ? observed.instances().get(m.instanceId()).launchTime() : null))
                .toList();
        RolloutDecider.next(members, wantedVersion, plan, policy.maxRemediationsPerHour(),
                recent.stream().map(r -> Instant.parse(r.time)).toList(), now).ifPresent(id -> {
                    try {
                        asgWriter.replaceInstance(region, id);
                        recent.add(new RemediationRecord(id, Verdict.Reason.Outdated.name(), now.toString()));
                        metrics.remediation(hc, Verdict.Reason.Outdated.name());
                        events.normal(hc, Reason.Remediated, "RollInstance", "Replacing " + id
                                + " (Outdated): rolling the cluster to launch template version " + wantedVersion + ", one machine at a time");
                    } catch (SdkException e) { // service errors and timeouts alike: the records made so far must survive
                        events.warning(hc, Reason.AwsError, "RollInstance", "Could not replace " + id + ": " + AwsErrors.describe(e));
                    }
                });
    }

    /** A machine that was in the group last pass and is gone or terminated now, without us replacing it. */
    private void announceExternalTerminations(HealingCluster hc, ClusterObservation observed, HealingClusterStatus previous,
                                              List<RemediationRecord> ours) {
        List<String> members = observed.asg().map(ObservedAsg::members).orElse(List.of()).stream()
                .map(ObservedAsg.AsgMember::instanceId).toList();
        for (InstanceStatus row : Objects.requireNonNullElse(previous.instances, List.<InstanceStatus>of())) {
            if (row.health == InstanceHealth.Leaving || ours.stream().anyMatch(r -> row.instanceId.equals(r.instanceId))) {
                continue;
            }
            ObservedInstance now = observed.instances().get(row.instanceId);
            boolean gone = now == null ? !members.contains(row.instanceId)
                    : "terminated".equals(now.state()) || "shutting-down".equals(now.state());
            if (gone) {
                events.warning(hc, Reason.InstanceTerminatedExternally, "Observe", row.instanceId
                        + " was terminated outside the operator; its Auto Scaling Group replaces it");
            }
        }
    }

    private static boolean heldByLaunchGate(HealingCluster hc, ClusterObservation observed, String instanceId) {
        return hc.getSpec().bootstrap != null && hc.getSpec().bootstrap.gateLaunch
                && observed.asg().map(ObservedAsg::members).orElse(List.of()).stream()
                .anyMatch(m -> m.instanceId().equals(instanceId) && "Pending:Wait".equals(m.lifecycleState()));
    }

    static HealthPolicy policy(HealthSpec health) {
        HealthSpec h = health == null ? new HealthSpec() : health;
        return new HealthPolicy(Durations.parseOr(h.startupTimeout, Duration.ofMinutes(10)), Durations.parseOr(h.unhealthyAfter, Duration.ofMinutes(5)),
                HealthPolicy.MaxUnhealthy.parse(h.maxUnhealthy == null ? null : String.valueOf(h.maxUnhealthy.getValue()))
                        .orElse(new HealthPolicy.MaxUnhealthy(40, true)),
                h.maxRemediationsPerHour, MAX_CHECK_INTERVAL);
    }

    private static List<MachineState> machines(ClusterObservation observed, HealingClusterStatus previous,
                                                Map<String, MachineState.Bootstrap> bootstrap) {
        Map<String, InstanceStatus> before = rowsById(previous);
        List<MachineState> out = new ArrayList<>();
        for (ObservedAsg.AsgMember m : observed.asg().map(ObservedAsg::members).orElse(List.of())) {
            ObservedInstance i = observed.instances().get(m.instanceId());
            InstanceStatus row = before.get(m.instanceId());
            Instant since = row == null || row.unhealthySince == null ? null : Instant.parse(row.unhealthySince);
            out.add(new MachineState(m.instanceId(), i == null ? null : i.launchTime(), i == null ? "pending" : i.state(),
                    m.lifecycleState(), "Healthy".equalsIgnoreCase(m.healthStatus()), i == null ? null : i.statusCheck(), since,
                    bootstrap.getOrDefault(m.instanceId(), MachineState.Bootstrap.NOT_REQUIRED), i != null && i.skipRemediation()));
        }
        return out;
    }

    static Map<String, InstanceStatus> rowsById(HealingClusterStatus status) {
        Map<String, InstanceStatus> out = new HashMap<>();
        if (status.instances != null) {
            status.instances.forEach(r -> out.put(r.instanceId, r));
        }
        return out;
    }
}
