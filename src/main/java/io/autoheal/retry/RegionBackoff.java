package io.autoheal.retry;

import io.autoheal.fleet.AwsScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.autoheal.fleet.AwsScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One back-off per region and identity ({@link AwsScope}: a tenant's role has its own), shared by every cluster and
 * pool in it: when a region's AWS calls fail (an outage,
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
    private final Map<AwsScope, State> regions = new ConcurrentHashMap<>();
    private final Map<AwsScope, String> lastFailure = new ConcurrentHashMap<>();

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
    public void failed(AwsScope scope) {
        Instant now = clock.instant();
        regions.compute(scope, (r, before) -> {
            int n = before == null ? 1 : before.failures() + 1;
            return afterFailure(before, now, jitter.spread(delay(n)));
        });
    }

    /** An AWS call of this region failed transiently; {@code why} is safe for status (CloudFailure#describe). */
    public void failed(AwsScope scope, String why) {
        lastFailure.put(scope, why);
        failed(scope);
    }

    /** What the region's last failure was, while it backs off. */
    public Optional<String> lastFailure(AwsScope scope) {
        return regions.containsKey(scope) ? Optional.ofNullable(lastFailure.get(scope)) : Optional.empty();
    }

    /** An AWS call of this region succeeded: the back-off ends. */
    public void succeeded(AwsScope scope) {
        regions.remove(scope);
        lastFailure.remove(scope);
    }

    /** When this region may be called again, if that is later than now. */
    public Optional<Instant> nextAttempt(AwsScope scope) {
        State s = regions.get(scope);
        Instant now = clock.instant();
        return s == null || !s.nextAttempt().isAfter(now) ? Optional.empty() : Optional.of(s.nextAttempt());
    }
}
