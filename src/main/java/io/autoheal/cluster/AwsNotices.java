package io.autoheal.cluster;

import io.autoheal.cluster.healing.Verdict;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What AWS announced for a machine through the event queue and cannot be read back from AWS's APIs (a Spot
 * interruption warning, a rebalance recommendation, a scheduled retirement): healing replaces such a machine ahead
 * of AWS, within the budget. Kept in memory for {@value #KEEP_HOURS} hours: after a restart the notice is gone and
 * AWS's own action (the machine stops or terminates) is healed as usual.
 */
@ApplicationScoped
public class AwsNotices {
    static final int KEEP_HOURS = 6;
    private final Clock clock;
    private final Map<String, Notice> byInstance = new ConcurrentHashMap<>();

    private record Notice(Verdict.Reason reason, Instant at) {
    }

    public AwsNotices(Clock clock) {
        this.clock = clock;
    }

    public void announce(String instanceId, Verdict.Reason reason) {
        Instant now = clock.instant();
        byInstance.values().removeIf(n -> n.at().plus(Duration.ofHours(KEEP_HOURS)).isBefore(now));
        byInstance.putIfAbsent(instanceId, new Notice(reason, now));
    }

    public Optional<Verdict.Reason> of(String instanceId) {
        return Optional.ofNullable(byInstance.get(instanceId)).map(Notice::reason);
    }
}
