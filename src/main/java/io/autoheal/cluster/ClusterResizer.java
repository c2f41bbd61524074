package io.autoheal.cluster;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.RemediationRecord;
import io.autoheal.cloud.ClusterObservation;
import io.autoheal.cloud.ObservedAsg;
import io.autoheal.cloud.ObservedInstance;
import io.autoheal.cluster.healing.CapacityDecider;
import io.autoheal.fleet.CloudErrors;
import io.autoheal.fleet.GroupWrites;
import io.autoheal.cluster.healing.HealingPlan;
import io.autoheal.cluster.healing.LeavingIntent;
import io.autoheal.cluster.healing.Verdict;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import io.autoheal.metrics.ClusterMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Carries out {@link CapacityDecider}: raises the group's desired capacity by one for a surge, and terminates the
 * machines chosen to leave with ShouldDecrementDesiredCapacity (they pass the drain's Terminating:Wait like every
 * termination). An outdated machine leaving during a rollout is a replacement: it is recorded in
 * status.recentRemediations before it is terminated and counts toward the hourly quota, as the in-place roll did.
 */
@ApplicationScoped
public class ClusterResizer {
    private final GroupWrites asgWriter;
    private final CloudErrors errors;
    private final EventRecorder events;
    private final ClusterMetrics metrics;
    private final RemediationJournal journal;

    public ClusterResizer(GroupWrites asgWriter, EventRecorder events, ClusterMetrics metrics, RemediationJournal journal, CloudErrors errors) {
        this.errors = errors;
        this.asgWriter = asgWriter;
        this.events = events;
        this.metrics = metrics;
        this.journal = journal;
    }

    /** A rollout surges when there is room above desired; otherwise it replaces in place (RolloutDecider). */
    static boolean canSurge(HealingCluster hc) {
        return hc.getSpec().capacity.desired < hc.getSpec().capacity.max;
    }

    CapacityDecider.Decision decide(HealingCluster hc, ClusterObservation observed, HealingPlan plan, String wantedVersion, int maxPerHour,
                                    List<Instant> recent, Instant now) {
        List<CapacityDecider.Member> members = new ArrayList<>();
        for (ObservedAsg.AsgMember m : observed.asg().map(ObservedAsg::members).orElse(List.of())) {
            ObservedInstance i = observed.instances().get(m.instanceId());
            members.add(new CapacityDecider.Member(m.instanceId(), m.launchTemplateVersion(), i == null ? null : i.launchTime(), m.zone()));
        }
        return CapacityDecider.decide(members, plan, wantedVersion, hc.getSpec().capacity.min, hc.getSpec().capacity.desired, hc.getSpec().capacity.max,
                observed.asg().map(ObservedAsg::desired).orElse(null), LeavingIntent.quotaRoom(recent, maxPerHour, now));
    }

    void apply(HealingCluster hc, String region, ClusterObservation observed, CapacityDecider.Decision decision, String wantedVersion,
               List<RemediationRecord> recent, Instant now) {
        if (observed.asg().isEmpty()) {
            return;
        }
        ObservedAsg asg = observed.asg().get();
        Map<String, String> versions = asg.members().stream().filter(m -> m.launchTemplateVersion() != null)
                .collect(Collectors.toMap(ObservedAsg.AsgMember::instanceId, ObservedAsg.AsgMember::launchTemplateVersion, (a, b) -> a));
        try {
            if (decision.surging() && asg.desired() < decision.asgDesired()) {
                asgWriter.setDesired(region, asg.name(), decision.asgDesired());
                events.normal(hc, Reason.Surged, "SetDesiredCapacity", decision.replacedBySurge().isEmpty()
                        ? "Rolling to launch template version " + wantedVersion + ": desired capacity raised to " + decision.asgDesired()
                        + " so a new machine is in service before an old one leaves"
                        : "Replacing " + decision.replacedBySurge().get(0).instanceId() + " (" + decision.replacedBySurge().get(0).reason()
                        + ") at spec.capacity.min: desired capacity raised to " + decision.asgDesired()
                        + " so its successor is in service before it leaves");
            }
            Set<String> alreadyRecorded = recent.stream().map(r -> r.instanceId).collect(Collectors.toSet());
            List<LeavingIntent.Record> intent = LeavingIntent.records(decision, versions, wantedVersion, alreadyRecorded);
            if (!intent.isEmpty()) {
                List<RemediationRecord> added = intent.stream().map(r -> new RemediationRecord(r.instanceId(), r.reason().name(), now.toString()))
                        .toList();
                List<RemediationRecord> stored = journal.append(hc, added, now); // intent first: if this write fails, nothing is terminated
                recent.clear();
                recent.addAll(stored);
            }
            Set<String> outdated = intent.stream().filter(r -> r.reason() == Verdict.Reason.Outdated).map(LeavingIntent.Record::instanceId)
                    .collect(Collectors.toSet());
            for (String id : decision.leave()) {
                asgWriter.removeInstance(region, id);
                var bySurge = decision.replacedBySurge().stream().filter(r -> r.instanceId().equals(id)).findFirst();
                if (bySurge.isPresent()) {
                    metrics.remediation(hc, bySurge.get().reason().name());
                    events.warning(hc, Reason.Remediated, "ReplaceInstance", "Replacing " + id + " (" + bySurge.get().reason()
                            + "): its successor is already in service, so it leaves now (terminated in its Auto Scaling Group "
                            + "with its desired capacity lowered back)");
                    continue;
                }
                boolean old = outdated.contains(id) || recent.stream().anyMatch(r -> id.equals(r.instanceId));
                if (old) {
                    metrics.remediation(hc, Verdict.Reason.Outdated.name());
                }
                if (old) {
                    events.normal(hc, Reason.Remediated, "RollInstance", "Replacing " + id + " (Outdated): rolling the cluster to launch "
                            + "template version " + wantedVersion + ", one machine at a time; its successor is already in service");
                } else {
                    events.normal(hc, Reason.Scaling, "RemoveInstance", "Removing " + id + ": terminated in its Auto Scaling Group with "
                            + "its desired capacity lowered (the operator chooses who leaves: unhealthy, older version, fuller zone, oldest)");
                }
            }
        } catch (SdkException e) {
            events.warning(hc, Reason.AwsError, "Resize", "Could not resize " + asg.name() + ": " + errors.describe(e));
        }
    }
}
