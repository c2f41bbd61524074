package io.autoheal.cluster.healing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Pure healing decision for one cluster (no I/O; time is a parameter), after Cluster API's MachineHealthCheck.
 *
 * <p>Per machine, the first that applies: LEAVING (being terminated or detached: the ASG is already replacing it —
 * observe, never fight) — except a machine EC2 terminated that the group still lists while its ReplaceUnhealthy is
 * suspended, which is UNHEALTHY(TerminatedExternally); then UNHEALTHY for Stopped, AsgUnhealthy, BootstrapFailed,
 * StatusCheckImpaired (impaired for at least unhealthyAfter), an application-health failure of a machine in service
 * (ProbeFailed, TargetUnhealthy, AlertFiring: see {@link AppSignal}) or StartupTimeout; then BOOTSTRAPPING (its job is
 * queued, running or waiting to retry) or STARTING (not there yet); else HEALTHY. The startup clock (startupTimeout
 * after launch) covers reaching a state where bootstrap can start; a machine whose job was triggered gets the
 * bootstrap's own bound on top (every attempt's timeout and back-off), so a long playbook is never cut short.
 *
 * <p>Budget: with total = max(desired, machines not leaving), if more than maxUnhealthy (rounded down, at least
 * one) are unhealthy, nothing is replaced (an AZ outage or a bad AMI must not become mass termination). Opted-out
 * machines count as unhealthy but are never replaced. At most maxRemediationsPerHour replacements in any sliding
 * hour, longest-unhealthy first. A machine already gone (terminated) is outside both: nothing is left to protect.
 * The next check is the earliest moment a verdict can change without new observations.
 */
public final class HealthDecider {
    static final Duration HOUR = Duration.ofHours(1);

    private HealthDecider() {
    }

    public static HealingPlan decide(List<Machine> machines, HealthPolicy policy, int desired, List<Instant> recentRemediations,
                                     Instant now) {
        return decide(machines, policy, desired, recentRemediations, Set.of(), now);
    }

    /**
     * @param recorded machines already recorded as replaced within the hour (their terminate call failed, or the
     *                 operator stopped right after the record): replacing one again uses no new slot of the quota
     */
    public static HealingPlan decide(List<Machine> machines, HealthPolicy policy, int desired, List<Instant> recentRemediations,
                                     Set<String> recorded, Instant now) {
        List<Verdict> verdicts = machines.stream().sorted(Comparator.comparing(Machine::instanceId))
                .map(m -> classify(m, policy, now)).toList();
        Instant next = now.plus(policy.maxCheckInterval());
        for (Machine m : machines) {
            next = earliest(next, deadline(m, policy, now));
        }
        Set<String> skip = machines.stream().filter(Machine::skipRemediation).map(Machine::instanceId).collect(Collectors.toSet());
        List<HealingPlan.Remediation> gone = verdicts.stream()
                .filter(v -> v.unhealthy() && v.reason().alreadyGone() && !skip.contains(v.instanceId()))
                .map(v -> new HealingPlan.Remediation(v.instanceId(), v.reason())).toList();
        List<Verdict> advised = verdicts.stream().filter(v -> v.unhealthy() && v.reason().advisory() && !skip.contains(v.instanceId()))
                .sorted(Comparator.comparing(Verdict::since, Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(Verdict::instanceId))
                .toList();
        List<Verdict> unhealthy = verdicts.stream().filter(v -> v.unhealthy() && !v.reason().alreadyGone() && !v.reason().advisory()).toList();
        List<String> optedOut = verdicts.stream().filter(v -> v.unhealthy() && skip.contains(v.instanceId())).map(Verdict::instanceId).toList();
        List<Verdict> replaceable = new ArrayList<>(unhealthy.stream().filter(v -> !skip.contains(v.instanceId())).toList());

        int total = Math.max(desired, (int) verdicts.stream().filter(v -> v.state() != Verdict.State.LEAVING).count());
        int allowed = policy.maxUnhealthy().allowed(total);
        List<Instant> window = recentRemediations.stream().filter(t -> t.isAfter(now.minus(HOUR))).sorted().toList();
        if (unhealthy.size() > allowed) {
            return new HealingPlan(verdicts, gone, optedOut, Optional.of(new HealingPlan.Block(HealingPlan.Block.Kind.MAX_UNHEALTHY,
                    unhealthy.size(), allowed, total, window.size(), policy.maxRemediationsPerHour())), next);
        }
        // Machines still gathering application-failure evidence count before anything is replaced on such evidence: a
        // whole-cluster outage seen by probes spread over their period becomes conclusive one machine at a time.
        Set<String> notUnhealthy = verdicts.stream().filter(v -> !v.unhealthy() && v.state() != Verdict.State.LEAVING)
                .map(Verdict::instanceId).collect(Collectors.toSet());
        int suspects = (int) machines.stream().filter(m -> m.appSuspect() && notUnhealthy.contains(m.instanceId())).count();
        Optional<HealingPlan.Block> held = Optional.empty();
        if (suspects > 0 && unhealthy.size() + suspects > allowed && replaceable.removeIf(v -> v.reason().application())) {
            held = Optional.of(new HealingPlan.Block(HealingPlan.Block.Kind.MAX_UNHEALTHY, unhealthy.size() + suspects, allowed, total,
                    window.size(), policy.maxRemediationsPerHour()));
        }
        replaceable.sort(Comparator.comparing(Verdict::since, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Verdict::instanceId));
        int quota = Math.max(0, policy.maxRemediationsPerHour() - window.size());
        List<HealingPlan.Remediation> remediate = new ArrayList<>(gone);
        replaceable.stream().filter(v -> recorded.contains(v.instanceId()))
                .map(v -> new HealingPlan.Remediation(v.instanceId(), v.reason())).forEach(remediate::add);
        replaceable.removeIf(v -> recorded.contains(v.instanceId()));
        replaceable.stream().limit(quota).map(v -> new HealingPlan.Remediation(v.instanceId(), v.reason())).forEach(remediate::add);
        boolean settled = unhealthy.isEmpty() && verdicts.stream().noneMatch(v -> v.state() == Verdict.State.STARTING
                || v.state() == Verdict.State.BOOTSTRAPPING)
                && verdicts.stream().filter(v -> v.state() != Verdict.State.LEAVING).count() >= desired; // the last one's successor is in
        if (settled && !advised.isEmpty() && quota > 0) {
            remediate.add(new HealingPlan.Remediation(advised.get(0).instanceId(), advised.get(0).reason()));
        }
        Optional<HealingPlan.Block> blocked = held;
        if (held.isEmpty() && replaceable.size() > quota) {
            blocked = Optional.of(new HealingPlan.Block(HealingPlan.Block.Kind.RATE_LIMIT, replaceable.size() - quota, allowed, total,
                    window.size(), policy.maxRemediationsPerHour()));
            if (!window.isEmpty()) {
                // The quota grows when the oldest remembered replacement leaves the hour window.
                next = earliest(next, window.get(0).plus(HOUR));
            }
        }
        return new HealingPlan(verdicts, List.copyOf(remediate), optedOut, blocked, next.isBefore(now) ? now : next);
    }

    static Verdict classify(Machine m, HealthPolicy policy, Instant now) {
        if (m.leaving()) {
            if (m.strandedInGroup() && !policy.asgReplacesUnhealthy()) {
                return new Verdict(m.instanceId(), Verdict.State.UNHEALTHY, Verdict.Reason.TerminatedExternally,
                        m.unhealthySince() != null ? m.unhealthySince() : now);
            }
            Verdict.Reason why = m.gone() ? Verdict.Reason.TerminatedExternally : null;
            return new Verdict(m.instanceId(), Verdict.State.LEAVING, why, null);
        }
        Instant impairedSince = m.impaired() ? (m.unhealthySince() != null ? m.unhealthySince() : now) : null;
        if (m.stopped()) {
            return unhealthy(m, Verdict.Reason.Stopped, impairedSince, now);
        }
        if (!m.asgHealthy()) {
            return unhealthy(m, Verdict.Reason.AsgUnhealthy, impairedSince, now);
        }
        if (m.bootstrap() == Machine.Bootstrap.FAILED_FINAL) {
            return unhealthy(m, Verdict.Reason.BootstrapFailed, impairedSince, now);
        }
        if (impairedSince != null && !now.isBefore(impairedSince.plus(policy.unhealthyAfter()))) {
            return new Verdict(m.instanceId(), Verdict.State.UNHEALTHY, Verdict.Reason.StatusCheckImpaired, impairedSince);
        }
        if (ready(m) && !m.appSignals().isEmpty()) {
            // Only a machine in service is judged by what its users see: before that, startup and bootstrap rule.
            AppSignal first = m.appSignals().stream().min(Comparator.comparing(AppSignal::since, Comparator.nullsLast(Comparator.naturalOrder()))
                    .thenComparing(AppSignal::source)).orElseThrow();
            Instant since = m.unhealthySince() != null ? m.unhealthySince() : first.since() != null ? first.since() : now;
            return new Verdict(m.instanceId(), Verdict.State.UNHEALTHY, first.reason(), since, first);
        }
        if (m.advice() != null) {
            // AWS will take it: a successor now, while the machine still serves, beats a gap after it is gone.
            return unhealthy(m, m.advice(), impairedSince, now);
        }
        if (!ready(m)) {
            Verdict.State waiting = m.bootstrap() == Machine.Bootstrap.IN_PROGRESS ? Verdict.State.BOOTSTRAPPING : Verdict.State.STARTING;
            if (m.launchTime() == null || m.bootstrap() == Machine.Bootstrap.BLOCKED) {
                // A member EC2 does not show yet (its answers lag the group's): missing data is not a sick machine.
                // A blocked bootstrap is not the machine's fault either: no startup clock runs against it.
                return new Verdict(m.instanceId(), waiting, null, impairedSince);
            }
            Instant deadline = startupDeadline(m, policy);
            if (!now.isBefore(deadline)) {
                return new Verdict(m.instanceId(), Verdict.State.UNHEALTHY, Verdict.Reason.StartupTimeout, deadline);
            }
            return new Verdict(m.instanceId(), waiting, null, impairedSince);
        }
        return new Verdict(m.instanceId(), Verdict.State.HEALTHY, null, impairedSince);
    }

    private static boolean ready(Machine m) {
        return m.inService() && m.bootstrap().done();
    }

    /** Launch + startupTimeout, plus the bootstrap's own bound once a job was triggered. */
    private static Instant startupDeadline(Machine m, HealthPolicy policy) {
        Instant deadline = m.launchTime().plus(policy.startupTimeout());
        return m.bootstrap() == Machine.Bootstrap.IN_PROGRESS ? deadline.plus(policy.bootstrapBound()) : deadline;
    }

    /** Unhealthy since the carried time (first pass that saw it not healthy), else since now. */
    private static Verdict unhealthy(Machine m, Verdict.Reason reason, Instant impairedSince, Instant now) {
        Instant since = m.unhealthySince() != null ? m.unhealthySince() : impairedSince != null ? impairedSince : now;
        return new Verdict(m.instanceId(), Verdict.State.UNHEALTHY, reason, since);
    }

    /** When this machine's verdict changes by itself: its startup deadline or the end of its impaired grace. */
    private static Instant deadline(Machine m, HealthPolicy policy, Instant now) {
        if (m.leaving()) {
            return null;
        }
        Instant out = null;
        if (m.impaired()) {
            Instant grace = (m.unhealthySince() != null ? m.unhealthySince() : now).plus(policy.unhealthyAfter());
            out = grace.isAfter(now) ? grace : null;
        }
        if (!ready(m) && m.launchTime() != null && m.bootstrap() != Machine.Bootstrap.BLOCKED) {
            Instant startup = startupDeadline(m, policy);
            if (startup.isAfter(now)) {
                out = earliest(out, startup);
            }
        }
        return out;
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.isBefore(b) ? a : b;
    }
}
