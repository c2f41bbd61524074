package io.autoheal.cluster;

import io.autoheal.cluster.healing.Verdict;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What AWS announced for a machine through the event queue and cannot be read back from AWS's APIs (a Spot
 * interruption warning, a rebalance recommendation, a scheduled retirement): healing replaces such a machine ahead
 * of AWS, within the budget. The most severe notice wins ({@link #severity}): AWS usually sends a rebalance
 * recommendation first, and the interruption warning that follows must not be lost behind it. Only machines of this
 * operator's clusters are remembered (the caller checks), at most {@value #MAX_NOTICES} of them, each for
 * {@value #KEEP_HOURS} hours: after a restart the notice is gone and AWS's own action (the machine stops or
 * terminates) is healed as usual.
 */
@ApplicationScoped
public class AwsNotices {
    static final int KEEP_HOURS = 6;
    static final int MAX_NOTICES = 10_000;
    private final Clock clock;
    private final int max;
    /** By instance id, oldest first (insertion order; a more severe notice moves its machine to the end). */
    private final Map<String, Notice> byInstance = new LinkedHashMap<>();

    record Notice(Verdict.Reason reason, Instant at) {
    }

    @Inject
    public AwsNotices(Clock clock) {
        this(clock, MAX_NOTICES);
    }

    AwsNotices(Clock clock, int max) {
        this.clock = clock;
        this.max = max;
    }

    /** How urgent a notice is: AWS takes the machine (interruption) > AWS will stop it on a date > AWS advises moving. */
    static int severity(Verdict.Reason reason) {
        return switch (reason) {
            case SpotInterruption -> 3;
            case ScheduledChange -> 2;
            case RebalanceRecommended -> 1;
            default -> 0;
        };
    }

    /** The notice that stays when a machine already has one: the more severe; the earlier when equal. */
    static Notice winner(Notice kept, Notice incoming) {
        if (kept == null || severity(incoming.reason()) > severity(kept.reason())) {
            return incoming;
        }
        return kept;
    }

    /** @param instanceId a machine of one of this operator's clusters (the caller checks ownership) */
    public synchronized void announce(String instanceId, Verdict.Reason reason) {
        Instant now = clock.instant();
        expire(now);
        Notice kept = byInstance.get(instanceId);
        Notice won = winner(kept, new Notice(reason, now));
        if (won != kept) {
            byInstance.remove(instanceId);
            byInstance.put(instanceId, won);
        }
        Iterator<Map.Entry<String, Notice>> oldest = byInstance.entrySet().iterator();
        while (byInstance.size() > max && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }

    public synchronized Optional<Verdict.Reason> of(String instanceId) {
        Notice n = byInstance.get(instanceId);
        return n == null || expired(n, clock.instant()) ? Optional.empty() : Optional.of(n.reason());
    }

    synchronized int size() {
        return byInstance.size();
    }

    private void expire(Instant now) {
        byInstance.values().removeIf(n -> expired(n, now));
    }

    private static boolean expired(Notice n, Instant now) {
        return !n.at().plus(Duration.ofHours(KEEP_HOURS)).isAfter(now);
    }
}
