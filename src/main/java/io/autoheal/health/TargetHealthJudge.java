package io.autoheal.health;

import io.autoheal.cluster.healing.AppSignal;
import io.autoheal.cluster.healing.Verdict;
import io.autoheal.fleet.ObservedTargetHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pure: which machines' load-balancer targets have been unhealthy long enough. A target counts from the first
 * inventory read that saw it {@code unhealthy}; it is TargetUnhealthy once it has stayed so for unhealthyAfter.
 * Only machines in service are judged, and a target unhealthy before the machine came into service counts from that
 * moment (with gateLaunch=false the target is registered, and unhealthy, while the machine bootstraps).
 * Every other state (initial: still being checked; draining, unused, unavailable: not AWS's verdict on the machine),
 * a machine not registered, and a target group whose read failed (unknown) end the count — the next unhealthy read
 * starts it again, as does an operator restart (the first-seen times live in memory): conservative, a flapping or
 * unreadable target never replaces a machine early.
 */
public final class TargetHealthJudge {
    public static final String UNHEALTHY = "unhealthy";

    private TargetHealthJudge() {
    }

    /** One machine in one target group. */
    public record Key(String targetGroupArn, String instanceId) {
    }

    /** @param unhealthySince the first-seen times to keep for the next pass; @param signals per machine, those past the grace */
    public record Judgement(Map<Key, Instant> unhealthySince, Map<String, List<AppSignal>> signals) {
    }

    /**
     * @param inService when each machine came into service; a machine absent is not judged (its target may well be
     *                  unhealthy while it bootstraps: the group registers it at launch), and the grace of one in
     *                  service counts from max(first unhealthy read, the moment it came into service)
     */
    public static Judgement judge(Map<Key, Instant> before, ObservedTargetHealth observed, Collection<String> targetGroupArns,
                                  Collection<String> members, Map<String, Instant> inService, Duration unhealthyAfter, Instant now) {
        Map<Key, Instant> since = new HashMap<>();
        Map<String, List<AppSignal>> signals = new HashMap<>();
        for (String arn : targetGroupArns) {
            for (String id : members) {
                Optional<ObservedTargetHealth.Target> t = observed.of(arn, id);
                Instant servingSince = inService.get(id);
                if (servingSince == null || t.isEmpty() || !UNHEALTHY.equals(t.get().state())) {
                    continue;
                }
                Key key = new Key(arn, id);
                Instant first = before.getOrDefault(key, observed.readAt());
                if (first.isBefore(servingSince)) {
                    first = servingSince;
                }
                since.put(key, first);
                if (!now.isBefore(first.plus(unhealthyAfter))) {
                    signals.computeIfAbsent(id, k -> new ArrayList<>())
                            .add(new AppSignal(Verdict.Reason.TargetUnhealthy, name(arn), detail(t.get()), first));
                }
            }
        }
        return new Judgement(since, signals);
    }

    /** arn:...:targetgroup/web/0123456789abcdef -> targetgroup/web (short enough for a status row, still unambiguous to a reader). */
    static String name(String arn) {
        int at = arn.indexOf("targetgroup/");
        if (at < 0) {
            return arn;
        }
        String rest = arn.substring(at);
        int last = rest.lastIndexOf('/');
        return last > "targetgroup/".length() ? rest.substring(0, last) : rest;
    }

    static String detail(ObservedTargetHealth.Target t) {
        String reason = t.reason() == null ? "" : t.reason();
        String description = t.description() == null ? "" : t.description();
        String d = reason.isEmpty() ? description : description.isEmpty() ? reason : reason + ": " + description;
        d = d.isEmpty() ? "target unhealthy" : d.replaceAll("[\\r\\n\\t]+", " ");
        return d.length() > 200 ? d.substring(0, 200) : d;
    }
}
