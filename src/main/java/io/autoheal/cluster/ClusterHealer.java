package io.autoheal.cluster;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.BootstrapSpec;
import io.autoheal.api.v1alpha1.HealingClusterSpec;
import io.autoheal.api.v1alpha1.HealingClusterStatus;
import io.autoheal.api.v1alpha1.HealthSpec;
import io.autoheal.api.v1alpha1.InstanceHealth;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.api.v1alpha1.RemediationRecord;
import io.autoheal.cloud.ClusterObservation;
import io.autoheal.cloud.ObservedAsg;
import io.autoheal.cloud.ObservedInstance;
import io.autoheal.cluster.healing.HealingPlan;
import io.autoheal.cluster.healing.HealthDecider;
import io.autoheal.cluster.healing.HealthPolicy;
import io.autoheal.cluster.healing.MachineState;
import io.autoheal.cluster.healing.RolloutDecider;
import io.autoheal.cluster.healing.Verdict;
import io.autoheal.api.v1alpha1.Durations;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import io.autoheal.config.OperatorConfig;
import io.autoheal.fleet.CloudErrors;
import io.autoheal.fleet.GroupWrites;
import io.autoheal.metrics.ClusterMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Healing of one cluster: builds the decision's input from AWS and the last status, runs the pure
 * {@link HealthDecider}, replaces what it says (TerminateInstanceInAutoScalingGroup without decrement, so the
 * ASG launches a successor) and reports each replacement with an Event and a counter.
 */
@ApplicationScoped
public class ClusterHealer {
    static final Duration MAX_CHECK_INTERVAL = Duration.ofSeconds(30);
    private final GroupWrites asgWriter;
    private final EventRecorder events;
    private final ClusterMetrics metrics;
    private final RemediationJournal journal;
    private final Duration bootstrapBackoffMax;
    private final AwsNotices notices;
    private final ClusterResizer resizer;
    private final CloudErrors errors;

    public ClusterHealer(GroupWrites asgWriter, EventRecorder events, ClusterMetrics metrics, RemediationJournal journal, OperatorConfig config,
                         AwsNotices notices, ClusterResizer resizer, CloudErrors errors) {
        this.resizer = resizer;
        this.errors = errors;
        this.notices = notices;
        this.asgWriter = asgWriter;
        this.events = events;
        this.metrics = metrics;
        this.journal = journal;
        this.bootstrapBackoffMax = config.bootstrap().retryBackoffMax();
    }

    /** The plan and the replacements actually made in this pass (with the pruned hour of history). */
    public record Result(HealingPlan plan, List<RemediationRecord> recentRemediations) {
    }

    public Result heal(HealingCluster hc, String region, ClusterObservation observed, HealingClusterStatus previous,
                       Map<String, MachineState.Bootstrap> bootstrap, String wantedVersion, Instant now) {
        HealthPolicy policy = policy(hc.getSpec(), bootstrapBackoffMax);
        List<RemediationRecord> recent = new ArrayList<>();
        for (RemediationRecord r : Objects.requireNonNullElse(previous.recentRemediations, List.<RemediationRecord>of())) {
            if (r.time != null && Instant.parse(r.time).isAfter(now.minus(Duration.ofHours(1)))) {
                recent.add(r);
            }
        }
        List<MachineState> machines = machines(observed, previous, bootstrap, notices);
        HealingPlan plan = HealthDecider.decide(machines, policy, hc.getSpec().capacity.desired,
                recent.stream().map(r -> Instant.parse(r.time)).toList(),
                recent.stream().map(r -> r.instanceId).collect(java.util.stream.Collectors.toSet()), now);
        if (!hc.getSpec().paused) {
            // Surge and scale-in choice (CapacityDecider): machines chosen to leave are not also replaced.
            var capacity = resizer.decide(hc, observed, plan, wantedVersion, policy.maxRemediationsPerHour(),
                    recent.stream().map(r -> Instant.parse(r.time)).toList(), now);
            List<Replacement> replacements = new ArrayList<>();
            for (HealingPlan.Remediation r : plan.remediate()) {
                if (!heldByLaunchGate(hc, observed, r.instanceId()) && !capacity.leave().contains(r.instanceId())
                        && !capacity.replacesBySurge(r.instanceId())) { // an advised machine at min: surge first (CapacityDecider)
                    // A gated machine's replacement is the bootstrapper's ABANDON of its launch hook.
                    replacements.add(new Replacement(r.instanceId(), r.reason(), "ReplaceInstance", "Replacing " + r.instanceId() + " ("
                            + r.reason() + "): terminated in its Auto Scaling Group, which launches a successor"));
                }
            }
            if (replacements.isEmpty() && !ClusterResizer.canSurge(hc)) {
                rolloutCandidate(hc, observed, plan, wantedVersion, policy, recent, now).ifPresent(replacements::add);
            }
            replace(hc, region, replacements, recent, now);
            resizer.apply(hc, region, observed, capacity, wantedVersion, recent, now);
        }
        announceExternalTerminations(hc, observed, previous, recent);
        return new Result(plan, recent);
    }

    /** One termination this pass decided, with what its Event says. */
    private record Replacement(String instanceId, Verdict.Reason reason, String action, String message) {
        boolean counted() {
            return !reason.alreadyGone();
        }
    }

    /**
     * Records the counted replacements first (the journal's write must succeed, or nothing is terminated), then
     * terminates each machine without decrementing desired capacity, so the ASG launches a successor. A machine
     * already recorded this hour (its terminate call failed, or the operator restarted right after the record) is
     * not recorded twice: one machine is one replacement.
     */
    private void replace(HealingCluster hc, String region, List<Replacement> replacements, List<RemediationRecord> recent, Instant now) {
        List<RemediationRecord> intended = replacements.stream().filter(Replacement::counted)
                .filter(r -> recent.stream().noneMatch(done -> r.instanceId().equals(done.instanceId)))
                .map(r -> new RemediationRecord(r.instanceId(), r.reason().name(), now.toString())).toList();
        if (!intended.isEmpty()) {
            List<RemediationRecord> stored = journal.append(hc, intended, now); // as stored: records another writer added stay
            recent.clear();
            recent.addAll(stored);
        }
        for (Replacement r : replacements) {
            try {
                asgWriter.replaceInstance(region, r.instanceId());
                metrics.remediation(hc, r.reason().name());
                if (r.reason() == Verdict.Reason.Outdated) {
                    events.normal(hc, Reason.Remediated, r.action(), r.message());
                } else {
                    events.warning(hc, Reason.Remediated, r.action(), r.message());
                }
            } catch (SdkException e) { // service errors and timeouts alike: the records made so far must survive
                events.warning(hc, Reason.AwsError, r.action(), "Could not replace " + r.instanceId() + ": " + errors.describe(e));
            }
        }
    }

    /** One machine at a time onto the current launch template version, within the same budget. */
    private static Optional<Replacement> rolloutCandidate(HealingCluster hc, ClusterObservation observed, HealingPlan plan,
                                                          String wantedVersion, HealthPolicy policy, List<RemediationRecord> recent,
                                                          Instant now) {
        List<RolloutDecider.Member> members = observed.asg().map(ObservedAsg::members).orElse(List.of()).stream()
                .map(m -> new RolloutDecider.Member(m.instanceId(), m.launchTemplateVersion(),
                        observed.instances().containsKey(m.instanceId()) ? observed.instances().get(m.instanceId()).launchTime() : null))
                .toList();
        return RolloutDecider.next(members, wantedVersion, plan, policy.maxRemediationsPerHour(),
                recent.stream().map(r -> Instant.parse(r.time)).toList(), now)
                .map(id -> new Replacement(id, Verdict.Reason.Outdated, "RollInstance", "Replacing " + id
                        + " (Outdated): rolling the cluster to launch template version " + wantedVersion + ", one machine at a time"));
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

    /** The spec's healing rules, with the bootstrap's own bound (every attempt's timeout and back-off). */
    static HealthPolicy policy(HealingClusterSpec spec, Duration backoffMax) {
        HealthSpec h = spec.health == null ? new HealthSpec() : spec.health;
        Duration bootstrapBound = Duration.ZERO;
        if (spec.bootstrap != null) {
            Duration attempt = Durations.parseOr(spec.bootstrap.timeout, BootstrapSpec.DEFAULT_TIMEOUT).plus(backoffMax);
            bootstrapBound = attempt.multipliedBy(Math.max(1, spec.bootstrap.maxAttempts));
        }
        return new HealthPolicy(Durations.parseOr(h.startupTimeout, Duration.ofMinutes(10)), Durations.parseOr(h.unhealthyAfter, Duration.ofMinutes(5)),
                HealthPolicy.MaxUnhealthy.parse(h.maxUnhealthy == null ? null : String.valueOf(h.maxUnhealthy.getValue()))
                        .orElse(new HealthPolicy.MaxUnhealthy(40, true)),
                h.maxRemediationsPerHour, MAX_CHECK_INTERVAL, bootstrapBound, !h.exclusiveHealing);
    }

    /** The decision's input: the group's members, their EC2 view, what the last status remembered (the benchmark runs it too). */
    public static List<MachineState> machines(ClusterObservation observed, HealingClusterStatus previous,
                                                Map<String, MachineState.Bootstrap> bootstrap, AwsNotices notices) {
        Map<String, InstanceStatus> before = rowsById(previous);
        List<MachineState> out = new ArrayList<>();
        for (ObservedAsg.AsgMember m : observed.asg().map(ObservedAsg::members).orElse(List.of())) {
            ObservedInstance i = observed.instances().get(m.instanceId());
            InstanceStatus row = before.get(m.instanceId());
            Instant since = row == null || row.unhealthySince == null ? null : Instant.parse(row.unhealthySince);
            out.add(new MachineState(m.instanceId(), i == null ? null : i.launchTime(), i == null ? "pending" : i.state(),
                    m.lifecycleState(), "Healthy".equalsIgnoreCase(m.healthStatus()), i == null ? null : i.statusCheck(), since,
                    bootstrap.getOrDefault(m.instanceId(), MachineState.Bootstrap.NOT_REQUIRED), i != null && i.skipRemediation(),
                    notices.of(m.instanceId()).orElse(null)));
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
