package io.autoheal.retry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One back-off per region, shared by every cluster and pool in it: when a region's AWS calls fail (an outage,
 * throttling), its resources wait together — from {@link #INITIAL}, doubling per failure up to {@link #MAX}, jittered —
 * instead of each retrying on its own schedule and all of them hammering a failing region. A success anywhere in
 * the region ends it. Reconcilers ask {@link #nextAttempt} before their AWS calls.
 */
@ApplicationScoped
public class RegionBackoff {
    static final Duration INITIAL = Duration.ofSeconds(2);
    static final Duration MAX = Duration.ofSeconds(60);

    private final Clock clock;
    private final Jitter jitter;
    private final Map<String, State> regions = new ConcurrentHashMap<>();
    private final Map<String, String> lastFailure = new ConcurrentHashMap<>();

    /** failures in a row, and when the next attempt may go out */
    record State(int failures, Instant nextAttempt) {
    }

    @Inject
    public RegionBackoff(Clock clock, Jitter jitter) {
        this.clock = clock;
        this.jitter = jitter;
    }

    /** Pure: the wait after n failures in a row (n >= 1), before jitter. */
    static Duration delay(int failures) {
        int doublings = Math.min(Math.max(failures - 1, 0), 20);
        Duration d = INITIAL.multipliedBy(1L << doublings);
        return d.compareTo(MAX) > 0 ? MAX : d;
    }

    /** Pure: the state after one more failure at now; a failure while already waiting does not push the wait further. */
    static State afterFailure(State before, Instant now, Duration jittered) {
        int failures = before == null ? 1 : before.failures() + 1;
        Instant next = now.plus(jittered);
        if (before != null && before.nextAttempt().isAfter(now)) {
            return new State(before.failures(), before.nextAttempt()); // in-flight calls of the same outage: one step each wait
        }
        return new State(failures, next);
    }

    /** An AWS call of this region failed transiently. */
    public void failed(String region) {
        Instant now = clock.instant();
        regions.compute(region, (r, before) -> {
            int n = before == null ? 1 : before.failures() + 1;
            return afterFailure(before, now, jitter.spread(delay(n)));
        });
    }

    /** An AWS call of this region failed transiently; {@code why} is safe for status (CloudFailure#describe). */
    public void failed(String region, String why) {
        lastFailure.put(region, why);
        failed(region);
    }

    /** What the region's last failure was, while it backs off. */
    public Optional<String> lastFailure(String region) {
        return regions.containsKey(region) ? Optional.ofNullable(lastFailure.get(region)) : Optional.empty();
    }

    /** An AWS call of this region succeeded: the back-off ends. */
    public void succeeded(String region) {
        regions.remove(region);
        lastFailure.remove(region);
    }

    /** When this region may be called again, if that is later than now. */
    public Optional<Instant> nextAttempt(String region) {
        State s = regions.get(region);
        Instant now = clock.instant();
        return s == null || !s.nextAttempt().isAfter(now) ? Optional.empty() : Optional.of(s.nextAttempt());
    }
}
