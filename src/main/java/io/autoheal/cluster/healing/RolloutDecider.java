package io.autoheal.cluster.healing;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Pure: rolls machines onto a new launch template version one at a time, through the same healing budget.
 * A machine is replaced only when the whole cluster is healthy (nothing starting, unhealthy or being replaced),
 * nothing else is being remediated, and the hourly replacement quota has room — so a bad new version stops the
 * roll after one machine (its successor never becomes healthy). Versions "$Latest"/"$Default" cannot be compared
 * per machine, so they roll nothing: new machines simply use them.
 */
public final class RolloutDecider {
    private RolloutDecider() {
    }

    public static Optional<String> next(List<Machine> members, String wantedVersion, HealingPlan plan, int maxPerHour,
                                        List<Instant> recentRemediations, Instant now) {
        if (wantedVersion == null || wantedVersion.startsWith("$")) {
            return Optional.empty();
        }
        boolean allHealthy = plan.verdicts().stream().allMatch(v -> v.state() == Verdict.State.HEALTHY || v.state() == Verdict.State.LEAVING)
                && plan.verdicts().stream().anyMatch(v -> v.state() == Verdict.State.HEALTHY);
        long inWindow = recentRemediations.stream().filter(t -> t.isAfter(now.minus(HealthDecider.HOUR))).count();
        if (!allHealthy || !plan.remediate().isEmpty() || plan.blocked().isPresent() || inWindow >= maxPerHour) {
            return Optional.empty();
        }
        List<String> healthy = plan.verdicts().stream().filter(v -> v.state() == Verdict.State.HEALTHY).map(Verdict::instanceId).toList();
        return members.stream()
                .filter(m -> healthy.contains(m.instanceId()) && m.version() != null && !wantedVersion.equals(m.version()))
                .min(Comparator.comparing(Machine::launchTime, Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(Machine::instanceId))
                .map(Machine::instanceId);
    }
}
