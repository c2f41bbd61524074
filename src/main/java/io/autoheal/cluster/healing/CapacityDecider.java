package io.autoheal.cluster.healing;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pure: how many machines the group should run and which machines leave, so that a planned change never lowers
 * capacity and the right machines leave first. One rule for the three ways a machine is removed on purpose:
 *
 * <ul>
 * <li><b>Surge</b> (a rollout onto a new, numbered launch template version, with {@code desired < max}): the group's
 *     desired capacity is raised by one while outdated machines remain, nothing is unhealthy or being replaced and
 *     the hourly quota has room; the extra machine launches from the new version.</li>
 * <li><b>Scale-in choice</b>: while the group runs more machines than wanted (after a surge, a lower
 *     spec.capacity.desired, or a person raising the group by hand), the operator keeps the group's desired
 *     capacity and terminates the excess itself with ShouldDecrementDesiredCapacity — the group never picks. Only
 *     when nothing is on its way in (no machine starting or bootstrapping), so a surge's old machine leaves only
 *     after its successor is in service. Order: unhealthy first, then launched from an older version (lowest first),
 *     then from the zone with the most machines (the zone balance AWS's default policy keeps), then the oldest
 *     launch, then instance id.</li>
 * <li>Without room to surge ({@code desired == max}) a rollout replaces in place, one machine at a time
 *     ({@link RolloutDecider}).</li>
 * <li><b>Healing surge</b>: a machine AWS advises moving off (a rebalance recommendation, a scheduled change — an
 *     {@linkplain Verdict.Reason#advisory() advisory} verdict) still serves. When the cluster is at or below
 *     spec.capacity.min in serving machines, replacing it directly (terminate, the group launches a successor) would
 *     take the cluster below min until the successor is in service; so the group surges by one instead (within
 *     max), and once the new machine is in service the advised one leaves by the scale-in choice above (unhealthy
 *     first), drained like every termination. A dead machine (stopped, failing its checks, terminated) serves
 *     nothing: replacing it directly loses no capacity and is faster, so it is never surged for; nor is a Spot
 *     interruption (AWS takes the machine within two minutes, whatever we do).</li>
 * </ul>
 * A bad version still stops after one machine: its surged machine never becomes healthy, so no old machine leaves,
 * and once it is unhealthy nothing surges again (the healing budget and hourly quota handle it).
 */
public final class CapacityDecider {
    private CapacityDecider() {
    }

    /**
     * @param asgDesired      the group's desired capacity to write
     * @param leave           machines to terminate with ShouldDecrementDesiredCapacity, in order
     * @param surging         the desired capacity includes one machine of surge
     * @param replacedBySurge healing's replacements that capacity carries out surge-first (not to be replaced
     *                        directly): surged for now, or leaving now that their successor is in service
     */
    public record Decision(int asgDesired, List<String> leave, boolean surging, List<HealingPlan.Remediation> replacedBySurge) {
        public boolean replacesBySurge(String instanceId) {
            return replacedBySurge.stream().anyMatch(r -> r.instanceId().equals(instanceId));
        }
    }

    /**
     * @param specMin         spec.capacity.min: at or below it, an advised (still serving) machine is replaced surge-first
     * @param observedDesired the group's desired capacity now (null: no group yet)
     * @param quotaRoom       the hourly replacement quota has room for one more
     */
    public static Decision decide(List<Machine> members, HealingPlan plan, String wantedVersion, int specMin, int specDesired, int max,
                                  Integer observedDesired, boolean quotaRoom) {
        Map<String, Verdict> verdicts = new HashMap<>();
        plan.verdicts().forEach(v -> verdicts.put(v.instanceId(), v));
        List<Machine> staying = members.stream().filter(m -> !state(verdicts, m).equals(Verdict.State.LEAVING)).toList();
        boolean anyUnhealthy = staying.stream().anyMatch(m -> state(verdicts, m) == Verdict.State.UNHEALTHY);
        boolean rolloutSurge = rolloutPending(staying, wantedVersion) && specDesired < max && !anyUnhealthy
                && plan.remediate().isEmpty() && plan.blocked().isEmpty() && quotaRoom;
        int excess = staying.size() - specDesired;
        List<String> stayingIds = staying.stream().map(Machine::instanceId).toList();
        List<HealingPlan.Remediation> advised = plan.remediate().stream()
                .filter(r -> r.reason() != null && r.reason().advisory() && stayingIds.contains(r.instanceId())).toList();
        long serving = staying.stream().filter(m -> serves(verdicts.get(m.instanceId()))).count();
        // no surged machine yet (excess <= 0): with one, the advised machine leaves by the scale-in choice below
        boolean healingSurge = !advised.isEmpty() && excess <= 0 && serving <= specMin && specDesired < max;
        boolean surging = rolloutSurge || healingSurge;
        int target = specDesired + (surging ? 1 : 0);
        boolean onItsWayIn = staying.stream().map(m -> state(verdicts, m))
                .anyMatch(s -> s == Verdict.State.STARTING || s == Verdict.State.BOOTSTRAPPING);
        List<String> leave = onItsWayIn || excess <= 0 ? List.of()
                : staying.stream().sorted(leavingOrder(staying, verdicts, wantedVersion)).limit(excess).map(Machine::instanceId).toList();
        List<HealingPlan.Remediation> bySurge = advised.stream().filter(r -> healingSurge || leave.contains(r.instanceId())).toList();
        return new Decision(held(target, max, observedDesired), leave, surging, bySurge);
    }

    /** Serves now: healthy, or advised to be moved off but still running its work. */
    private static boolean serves(Verdict v) {
        return v != null && (v.state() == Verdict.State.HEALTHY
                || (v.state() == Verdict.State.UNHEALTHY && v.reason() != null && v.reason().advisory()));
    }

    /**
     * The group's desired capacity to keep: a group above the target is held (within max), so the excess leaves by
     * the operator's explicit terminations, never by the group's own choice.
     */
    public static int held(int target, int max, Integer observedDesired) {
        return observedDesired == null ? target : Math.max(target, Math.min(observedDesired, max));
    }

    static boolean rolloutPending(List<Machine> members, String wantedVersion) {
        return comparable(wantedVersion) && members.stream().anyMatch(m -> outdated(m, wantedVersion));
    }

    private static boolean outdated(Machine m, String wantedVersion) {
        return comparable(wantedVersion) && m.version() != null && !m.version().startsWith("$") && !wantedVersion.equals(m.version());
    }

    private static boolean comparable(String version) {
        return version != null && !version.startsWith("$");
    }

    private static Verdict.State state(Map<String, Verdict> verdicts, Machine m) {
        return Optional.ofNullable(verdicts.get(m.instanceId())).map(Verdict::state).orElse(Verdict.State.STARTING);
    }

    private static Comparator<Machine> leavingOrder(List<Machine> members, Map<String, Verdict> verdicts, String wantedVersion) {
        Map<String, Long> perZone = new HashMap<>();
        members.forEach(m -> perZone.merge(String.valueOf(m.zone()), 1L, Long::sum));
        return Comparator.<Machine, Boolean>comparing(m -> state(verdicts, m) != Verdict.State.UNHEALTHY)
                .thenComparing(m -> !outdated(m, wantedVersion))
                .thenComparing(m -> outdated(m, wantedVersion) ? versionNumber(m.version()) : Long.MAX_VALUE)
                .thenComparing(m -> -perZone.get(String.valueOf(m.zone())))
                .thenComparing(Machine::launchTime, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Machine::instanceId);
    }

    private static long versionNumber(String version) {
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE - 1;
        }
    }
}
