package io.autoheal.cluster.plan;

import io.autoheal.api.v1alpha1.RemediationRecord;
import io.autoheal.cluster.healing.CapacityDecider;
import io.autoheal.cluster.healing.Machine;
import io.autoheal.cluster.healing.HealingPlan;
import io.autoheal.cluster.healing.HealthDecider;
import io.autoheal.cluster.healing.LeavingIntent;
import io.autoheal.cluster.healing.RolloutDecider;
import io.autoheal.cluster.healing.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Pure: one cluster pass's decisions, with every precedence rule in this one place (docs/behaviour.md "Precedence").
 * The existing deciders are its rules, all fed from the one {@link Machine} view:
 *
 * <ol>
 * <li><b>Paused</b>: classify only; no command but notices.</li>
 * <li><b>Health</b> ({@link HealthDecider}): verdicts, the budget (maxUnhealthy) and the hourly quota come first;
 *     nothing below may replace more than they allow.</li>
 * <li><b>Rollout stop</b> ({@link RolloutGate}): a machine of the wanted version that failed this hour stops the
 *     rollout (no surge, no in-place roll) — a broken version costs one machine an hour, never one per startup timeout.</li>
 * <li><b>Capacity</b> ({@link CapacityDecider}): surge and the scale-in choice. A machine it chooses to leave (scale-in)
 *     or to replace surge-first (advice at spec.capacity.min) is not also replaced by healing.</li>
 * <li><b>Launch gate</b>: a machine held in Pending:Wait is never terminated by healing; the gate's ABANDON ends it.</li>
 * <li><b>Healing before rollout</b>: the in-place roll ({@link RolloutDecider}, only without room to surge) takes a
 *     slot only when healing replaces nothing this pass.</li>
 * <li><b>Journal before terminate</b>: every counted replacement (healing, a rollout's old machine, a surge-replaced
 *     advised machine, a failed machine leaving by scale-in) is written before any termination, once per machine.</li>
 * <li><b>Failed leavers count</b>: an unhealthy machine that leaves by the scale-in choice is a replacement (quota,
 *     Warning Event, metric), so a surge that fails is paid for like any other.</li>
 * <li><b>Notices</b>: a machine gone without the operator is announced, unless the operator replaced it.</li>
 * </ol>
 * Drain and bootstrap act in their own adapters; what they found reaches this planner as observations (a machine's
 * bootstrap outcome, its lifecycle state).
 */
public final class ClusterPlanner {
    static final Duration HOUR = Duration.ofHours(1);

    private ClusterPlanner() {
    }

    public static ClusterPlan plan(ClusterPass pass) {
        Instant now = pass.now();
        List<RemediationRecord> recent = new ArrayList<>(pass.remediations().stream()
                .filter(r -> r.time != null && Instant.parse(r.time).isAfter(now.minus(HOUR))).toList());
        HealingPlan health = HealthDecider.decide(pass.machines(), pass.policy(), pass.desired(),
                times(recent), ids(recent), now);
        if (pass.paused()) {
            return new ClusterPlan(health, recent, List.of(), List.of(), notices(pass, recent), Optional.empty());
        }
        // spec.rollout set: the tracker judges the rollout (bake, checkpoints, failure, rollback) instead of the gate
        Optional<RolloutTracker.Progress> rollout = Optional.ofNullable(pass.rollout()).map(policy -> RolloutTracker.track(policy,
                pass.lastRollout(), pass.wantedVersion(), pass.machines(), health, pass.firingAlerts(), now));
        String wanted = rollout.map(RolloutTracker.Progress::rollTo).orElse(pass.wantedVersion());
        boolean advance = rollout.map(RolloutTracker.Progress::advance).orElse(true);
        Optional<String> stopped = rollout.isPresent() ? Optional.empty() : RolloutGate.stopped(pass.machines(), health, wanted, recent);
        boolean quotaRoom = LeavingIntent.quotaRoom(times(recent), pass.policy().maxRemediationsPerHour(), now);
        CapacityDecider.Decision capacity = CapacityDecider.decide(pass.machines(), health, wanted, pass.min(),
                pass.desired(), pass.max(), pass.groupDesired(), quotaRoom && stopped.isEmpty() && advance && pass.canSurge());
        if (!advance) {
            capacity = RolloutTracker.holdOutdated(capacity, pass.machines(), wanted);
        }

        List<ClusterCommand.Replace> replacements = new ArrayList<>();
        for (HealingPlan.Remediation r : health.remediate()) {
            if (!heldByLaunchGate(pass, r.instanceId()) && !capacity.leave().contains(r.instanceId())
                    && !capacity.replacesBySurge(r.instanceId())) {
                replacements.add(new ClusterCommand.Replace(r.instanceId(), r.reason(), "Replacing " + r.instanceId() + " (" + r.reason()
                        + "): terminated in its Auto Scaling Group, which launches a successor"));
            }
        }
        if (replacements.isEmpty() && !pass.canSurge() && stopped.isEmpty() && advance) {
            RolloutDecider.next(pass.machines(), wanted, health, pass.policy().maxRemediationsPerHour(), times(recent), now)
                    .ifPresent(id -> replacements.add(new ClusterCommand.Replace(id, Verdict.Reason.Outdated, "Replacing " + id
                            + " (Outdated): rolling the cluster to launch template version " + wanted
                            + ", one machine at a time")));
        }
        Map<String, String> versions = versions(pass.machines());
        List<ClusterCommand> replacing = new ArrayList<>();
        List<RemediationRecord> intended = replacements.stream().filter(r -> !r.reason().alreadyGone())
                .filter(r -> !ids(recent).contains(r.instanceId()))
                .map(r -> record(r.instanceId(), r.reason(), versions, now)).toList();
        if (!intended.isEmpty()) {
            recent.addAll(intended);
            replacing.add(new ClusterCommand.Journal(List.copyOf(intended), now));
        }
        replacing.addAll(replacements);

        List<ClusterCommand> resize = pass.groupDesired() == null ? List.of()
                : resize(pass, wanted, health, capacity, versions, recent, rollingBack(rollout, wanted));
        return new ClusterPlan(health, List.copyOf(recent), replacing, resize, notices(pass, recent), stopped, rollout);
    }

    /** Surge, then the journal of who leaves by the operator's choice, then the removals. Mutates {@code recent}. */
    private static List<ClusterCommand> resize(ClusterPass pass, String wanted, HealingPlan health, CapacityDecider.Decision capacity,
                                               Map<String, String> versions, List<RemediationRecord> recent, Optional<String> failedVersion) {
        List<ClusterCommand> out = new ArrayList<>();
        if (capacity.surging() && pass.groupDesired() < capacity.asgDesired()) {
            out.add(new ClusterCommand.SetCapacity(capacity.asgDesired(), capacity.replacedBySurge().isEmpty()
                    ? "Rolling to launch template version " + wanted + ": desired capacity raised to " + capacity.asgDesired()
                    + " so a new machine is in service before an old one leaves"
                    : "Replacing " + capacity.replacedBySurge().get(0).instanceId() + " (" + capacity.replacedBySurge().get(0).reason()
                    + ") at spec.capacity.min: desired capacity raised to " + capacity.asgDesired()
                    + " so its successor is in service before it leaves"));
        }
        Map<String, Verdict> verdicts = new HashMap<>();
        health.verdicts().forEach(v -> verdicts.put(v.instanceId(), v));
        Set<String> recorded = ids(recent);
        List<LeavingIntent.Record> intent = new ArrayList<>(LeavingIntent.records(capacity, versions, wanted, recorded));
        Set<String> outdated = intent.stream().filter(r -> r.reason() == Verdict.Reason.Outdated).map(LeavingIntent.Record::instanceId)
                .collect(Collectors.toSet());
        // A machine opted out of remediation (autoheal.io/skip-remediation) that leaves in a scale-in is a scale-in.
        Set<String> optedOut = pass.machines().stream().filter(Machine::skipRemediation).map(Machine::instanceId).collect(Collectors.toSet());
        optedOut.forEach(verdicts::remove);
        for (String id : capacity.leave()) {
            Optional<Verdict.Reason> failed = failure(verdicts.get(id));
            if (failed.isPresent() && !outdated.contains(id) && !capacity.replacesBySurge(id) && !recorded.contains(id)) {
                intent.add(new LeavingIntent.Record(id, failed.get()));
            }
        }
        // Rolling back: a failing machine of the failed version leaves for its failure (journaled and reported under it),
        // not as an Outdated roll: that failure is what the rollout failed on.
        Set<String> failedOnVersion = failedVersion.map(v -> outdated.stream().filter(id -> v.equals(versions.get(id))
                && failure(verdicts.get(id)).isPresent()).collect(Collectors.toSet())).orElse(Set.of());
        intent.replaceAll(r -> failedOnVersion.contains(r.instanceId())
                ? new LeavingIntent.Record(r.instanceId(), failure(verdicts.get(r.instanceId())).orElseThrow()) : r);
        if (!intent.isEmpty()) {
            List<RemediationRecord> added = intent.stream().map(r -> record(r.instanceId(), r.reason(), versions, pass.now())).toList();
            recent.addAll(added);
            out.add(new ClusterCommand.Journal(added, pass.now()));
        }
        for (String id : capacity.leave()) {
            out.add(failedOnVersion.contains(id) ? rolledBack(id, failure(verdicts.get(id)).orElseThrow(), failedVersion.get(), wanted)
                    : removal(id, capacity, verdicts.get(id), outdated, ids(recent), wanted));
        }
        return out;
    }

    /** The failed version while the rollout rolls back from it to {@code wanted} (the stable version); empty otherwise. */
    private static Optional<String> rollingBack(Optional<RolloutTracker.Progress> rollout, String wanted) {
        return rollout.map(p -> p.status().failedVersion).filter(v -> !v.equals(wanted));
    }

    private static ClusterCommand.Remove rolledBack(String id, Verdict.Reason failed, String failedVersion, String stable) {
        return new ClusterCommand.Remove(id, ClusterCommand.Removal.FAILED, failed, "Replacing " + id + " (" + failed + "): launch template "
                + "version " + failedVersion + " failed the rollout; rolling back to version " + stable + " (spec.rollout.onFailure Rollback)");
    }

    private static ClusterCommand.Remove removal(String id, CapacityDecider.Decision capacity, Verdict verdict, Set<String> outdated,
                                                 Set<String> recorded, String wanted) {
        var bySurge = capacity.replacedBySurge().stream().filter(r -> r.instanceId().equals(id)).findFirst();
        if (bySurge.isPresent()) {
            return new ClusterCommand.Remove(id, ClusterCommand.Removal.SURGE_REPLACED, bySurge.get().reason(), "Replacing " + id + " ("
                    + bySurge.get().reason() + "): its successor is already in service, so it leaves now (terminated in its Auto Scaling "
                    + "Group with its desired capacity lowered back)");
        }
        Optional<Verdict.Reason> failed = failure(verdict);
        if (failed.isPresent() && !outdated.contains(id)) {
            return new ClusterCommand.Remove(id, ClusterCommand.Removal.FAILED, failed.get(), "Replacing " + id + " (" + failed.get()
                    + "): it never served, so it leaves with the group's desired capacity lowered back; counted toward "
                    + "spec.health.maxRemediationsPerHour");
        }
        if (outdated.contains(id) || recorded.contains(id)) {
            return new ClusterCommand.Remove(id, ClusterCommand.Removal.ROLLED, Verdict.Reason.Outdated, "Replacing " + id
                    + " (Outdated): rolling the cluster to launch template version " + wanted
                    + ", one machine at a time; its successor is already in service");
        }
        return new ClusterCommand.Remove(id, ClusterCommand.Removal.SCALED_IN, null, "Removing " + id + ": terminated in its Auto Scaling "
                + "Group with its desired capacity lowered (the operator chooses who leaves: unhealthy, older version, fuller zone, oldest)");
    }

    /** A verdict that makes a leaving machine a replacement: unhealthy by its own fault (not advice, not already gone). */
    static Optional<Verdict.Reason> failure(Verdict v) {
        return v != null && v.state() == Verdict.State.UNHEALTHY && v.reason() != null && !v.reason().advisory()
                && !v.reason().alreadyGone() ? Optional.of(v.reason()) : Optional.empty();
    }

    /** Machines gone since the last status, not by the operator's hand. */
    private static List<ClusterCommand> notices(ClusterPass pass, List<RemediationRecord> ours) {
        Set<String> replaced = ids(ours);
        return pass.vanished().stream().sorted().filter(id -> !replaced.contains(id))
                .map(id -> (ClusterCommand) new ClusterCommand.Announce(id, id
                        + " was terminated outside the operator; its Auto Scaling Group replaces it"))
                .toList();
    }

    private static boolean heldByLaunchGate(ClusterPass pass, String instanceId) {
        return pass.gateLaunch() && pass.machines().stream().anyMatch(m -> m.instanceId().equals(instanceId) && m.gated());
    }

    private static RemediationRecord record(String id, Verdict.Reason reason, Map<String, String> versions, Instant now) {
        RemediationRecord r = new RemediationRecord(id, reason.name(), now.toString());
        r.version = versions.get(id);
        return r;
    }

    private static Map<String, String> versions(List<Machine> machines) {
        Map<String, String> out = new HashMap<>();
        machines.stream().filter(m -> m.version() != null).forEach(m -> out.putIfAbsent(m.instanceId(), m.version()));
        return out;
    }

    static List<Instant> times(List<RemediationRecord> records) {
        return records.stream().map(r -> Instant.parse(r.time)).toList();
    }

    private static Set<String> ids(List<RemediationRecord> records) {
        return records.stream().map(r -> r.instanceId).collect(Collectors.toSet());
    }
}
