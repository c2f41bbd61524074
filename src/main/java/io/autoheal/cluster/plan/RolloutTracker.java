package io.autoheal.cluster.plan;

import io.autoheal.api.v1alpha1.RolloutFailureAction;
import io.autoheal.api.v1alpha1.RolloutPhase;
import io.autoheal.api.v1alpha1.RolloutStatus;
import io.autoheal.cluster.healing.CapacityDecider;
import io.autoheal.cluster.healing.HealingPlan;
import io.autoheal.cluster.healing.Machine;
import io.autoheal.cluster.healing.Verdict;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Pure: where a rollout stands after this pass (spec.rollout set), from the last status.rollout, the version the
 * group launches from, the machines' verdicts and the alerts firing. One rule per phase:
 *
 * <ul>
 * <li><b>Start</b>: the wanted version differs from the last target, or the spec changed (a new generation) after a
 *     failure: Rolling, from the stable version (the last target when that rollout completed).</li>
 * <li><b>Failure</b> (while Rolling, Baking or at a checkpoint): a target-version machine unhealthy for a reason the
 *     version may cause, or an abortOnAlerts alert firing. onFailure Rollback → RollingBack (the planner rolls to the
 *     stable version), Pause → Paused. The version is remembered (failedVersion, failedGeneration) and not rolled to
 *     again until the generation moves on.</li>
 * <li><b>Bake</b>: when more target-version machines are healthy than last pass, the bake (re)starts; until it ends
 *     no old machine leaves and nothing surges (Baking).</li>
 * <li><b>Checkpoint</b>: once updated/total reaches a pauseAtPercent not yet resumed for this target (annotation
 *     autoheal.io/rollout-resume: "&lt;target&gt;/&lt;percent&gt;"), the rollout waits (Paused).</li>
 * <li><b>Complete</b>: no machine of another version remains and the last bake ended: the target is the stable
 *     version. A rollback ends in Failed once every machine runs the stable version.</li>
 * </ul>
 */
public final class RolloutTracker {
    private RolloutTracker() {
    }

    /**
     * @param status   status.rollout after this pass
     * @param advance  the next old machine may leave (surge, in-place roll, scale-in of an outdated machine)
     * @param rollTo   the version the planner rolls the machines to: the target, or the stable version while rolling back
     */
    public record Progress(RolloutStatus status, boolean advance, String rollTo) {
        public RolloutPhase phase() {
            return status.phase;
        }
    }

    public static Progress track(RolloutPolicy policy, RolloutStatus previous, String wanted, List<Machine> machines, HealingPlan health,
                                 Set<String> firingAlerts, Instant now) {
        RolloutStatus s = previous == null ? new RolloutStatus() : previous.copy();
        if (wanted == null || wanted.startsWith("$")) {
            return new Progress(s, true, wanted);
        }
        Map<String, Verdict> verdicts = health.verdicts().stream().collect(Collectors.toMap(Verdict::instanceId, Function.identity(), (a, b) -> a));
        List<Machine> staying = machines.stream().filter(m -> state(verdicts, m) != Verdict.State.LEAVING).toList();
        boolean spoiled = wanted.equals(s.failedVersion) && Objects.equals(s.failedGeneration, policy.generation());
        if (!spoiled && s.failedVersion != null && !Objects.equals(s.failedGeneration, policy.generation())) {
            s.failedVersion = null;
            s.failedGeneration = null;
        }
        if (!spoiled && (s.phase == null || !wanted.equals(s.targetVersion) || s.phase == RolloutPhase.Failed
                || s.phase == RolloutPhase.RollingBack)) {
            start(s, wanted, staying, now);
        }
        s.total = staying.size();
        s.updated = (int) staying.stream().filter(m -> wanted.equals(m.version()) && state(verdicts, m) == Verdict.State.HEALTHY).count();
        if (spoiled) {
            return failedState(s, policy, staying, now);
        }
        boolean outdatedRemain = staying.stream().anyMatch(m -> outdated(m, wanted));
        if (s.phase == RolloutPhase.Complete && !outdatedRemain) {
            return new Progress(s, true, wanted);
        }
        Optional<String> failure = failure(wanted, staying, verdicts, policy.abortOnAlerts(), firingAlerts);
        if (failure.isPresent()) {
            s.failedVersion = wanted;
            s.failedGeneration = policy.generation();
            s.message = failure.get();
            s.bakeStartedAt = null;
            s.pausedAtPercent = null;
            return failedState(s, policy, staying, now);
        }
        int before = previous == null || previous.updated == null || !wanted.equals(previous.targetVersion) ? 0 : previous.updated;
        if (s.updated > before && s.updated > 0) {
            s.bakeStartedAt = now.toString();
        }
        boolean baking = s.bakeStartedAt != null && Instant.parse(s.bakeStartedAt).plus(policy.bakeTime()).isAfter(now);
        if (!outdatedRemain && !baking && s.updated == s.total) {
            s.stableVersion = wanted;
            s.message = null;
            s.pausedAtPercent = null;
            transition(s, RolloutPhase.Complete, now);
            return new Progress(s, true, wanted);
        }
        if (baking) {
            transition(s, RolloutPhase.Baking, now);
            return new Progress(s, false, wanted);
        }
        int percent = s.total == 0 ? 0 : s.updated * 100 / s.total;
        int resumed = policy.resumedThrough(wanted);
        Optional<Integer> checkpoint = policy.pauseAtPercent().stream().filter(p -> percent >= p && p > resumed).max(Comparator.naturalOrder());
        if (checkpoint.isPresent() && outdatedRemain) {
            s.pausedAtPercent = checkpoint.get();
            s.message = "Checkpoint at " + checkpoint.get() + "%: " + s.updated + "/" + s.total + " machines on launch template version "
                    + wanted + "; resume with the annotation " + RolloutPolicy.RESUME_ANNOTATION + ": \"" + wanted + "/" + checkpoint.get() + "\"";
            transition(s, RolloutPhase.Paused, now);
            return new Progress(s, false, wanted);
        }
        s.pausedAtPercent = null;
        s.message = null;
        transition(s, RolloutPhase.Rolling, now);
        return new Progress(s, true, wanted);
    }

    /**
     * The launch template version the group should launch from: the spec's, except while its version failed in this
     * generation with onFailure Rollback — then the stable version, so successors of the failed machines are stable ones.
     */
    public static String launchVersion(RolloutPolicy policy, RolloutStatus last, String specVersion) {
        if (policy == null || last == null || specVersion == null || policy.onFailure() != RolloutFailureAction.Rollback) {
            return specVersion;
        }
        boolean spoiled = specVersion.equals(last.failedVersion) && Objects.equals(last.failedGeneration, policy.generation());
        return spoiled && last.stableVersion != null ? last.stableVersion : specVersion;
    }

    /**
     * While the rollout may not advance (baking, at a checkpoint, paused), a healthy old-version machine does not
     * leave by the scale-in choice: the surged machine stays until the bake ends (an unhealthy one is healed as usual).
     */
    static CapacityDecider.Decision holdOutdated(CapacityDecider.Decision capacity, List<Machine> machines, String rollTo) {
        Set<String> outdated = machines.stream().filter(m -> rollTo != null && outdated(m, rollTo)).map(Machine::instanceId)
                .collect(Collectors.toSet());
        List<String> leave = capacity.leave().stream().filter(id -> !outdated.contains(id) || capacity.replacesBySurge(id)).toList();
        return new CapacityDecider.Decision(capacity.asgDesired(), leave, capacity.surging(), capacity.replacedBySurge());
    }

    /** The version failed in this generation: roll back to the stable version, or stay where it is. */
    private static Progress failedState(RolloutStatus s, RolloutPolicy policy, List<Machine> staying,
                                        Instant now) {
        String stable = s.stableVersion;
        if (policy.onFailure() == RolloutFailureAction.Pause || stable == null || stable.equals(s.failedVersion)) {
            transition(s, RolloutPhase.Paused, now);
            return new Progress(s, false, s.failedVersion);
        }
        // done when no machine of another version remains (healing, not the rollout, looks after the stable ones' health)
        boolean back = staying.stream().allMatch(m -> m.version() == null || m.version().startsWith("$") || stable.equals(m.version()));
        transition(s, back ? RolloutPhase.Failed : RolloutPhase.RollingBack, now);
        return new Progress(s, true, stable);
    }

    private static void start(RolloutStatus s, String wanted, List<Machine> staying, Instant now) {
        if (s.phase == RolloutPhase.Complete || s.stableVersion == null && s.targetVersion != null && s.phase != RolloutPhase.RollingBack) {
            s.stableVersion = s.phase == RolloutPhase.Complete ? s.targetVersion : s.stableVersion;
        }
        if (s.stableVersion == null) {
            // first sight: the stable version is what most machines run (the wanted one when nothing else runs)
            s.stableVersion = staying.stream().map(Machine::version).filter(v -> v != null && !v.startsWith("$"))
                    .collect(Collectors.groupingBy(v -> v, Collectors.counting())).entrySet().stream()
                    .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                    .map(Map.Entry::getKey).orElse(wanted);
        }
        s.targetVersion = wanted;
        s.startedAt = now.toString();
        s.bakeStartedAt = null;
        s.pausedAtPercent = null;
        s.message = null;
        s.updated = 0;
        transition(s, wanted.equals(s.stableVersion) ? RolloutPhase.Complete : RolloutPhase.Rolling, now);
    }

    private static Optional<String> failure(String wanted, List<Machine> staying, Map<String, Verdict> verdicts, Set<String> abortOn,
                                            Set<String> firing) {
        Optional<String> machine = staying.stream().filter(m -> wanted.equals(m.version()))
                .flatMap(m -> ClusterPlanner.failure(verdicts.get(m.instanceId())).filter(RolloutGate::versionFault)
                        .map(r -> "launch template version " + wanted + " failed: " + m.instanceId() + " is unhealthy (" + r + ")").stream())
                .findFirst();
        return machine.or(() -> firing.stream().filter(abortOn::contains).sorted().findFirst()
                .map(a -> "launch template version " + wanted + " failed: alert " + a + " fired while rolling (spec.rollout.abortOnAlerts)"));
    }

    private static void transition(RolloutStatus s, RolloutPhase phase, Instant now) {
        if (s.phase != phase) {
            s.phase = phase;
            s.lastTransitionTime = now.toString();
        }
    }

    private static boolean outdated(Machine m, String wanted) {
        return m.version() != null && !m.version().startsWith("$") && !wanted.equals(m.version());
    }

    private static Verdict.State state(Map<String, Verdict> verdicts, Machine m) {
        return Optional.ofNullable(verdicts.get(m.instanceId())).map(Verdict::state).orElse(Verdict.State.STARTING);
    }
}
