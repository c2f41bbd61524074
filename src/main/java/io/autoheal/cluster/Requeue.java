package io.autoheal.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Pure: when a cluster is looked at again. The earliest time healing or bootstrap asked for; soon after the pass
 * acted (to see the effect of its own AWS calls); never later than the resync interval, never sooner than a second.
 */
public final class Requeue {
    /** How soon a pass that changed the group or replaced a machine looks again. */
    static final Duration AFTER_ACTION = Duration.ofSeconds(3);
    static final Duration MIN_DELAY = Duration.ofSeconds(1);

    private Requeue() {
    }

    /** The next check of a pass that got as far as healing. */
    public static Instant nextCheck(Instant healingNext, Optional<Instant> bootstrapNext, boolean acted, Instant now) {
        if (acted) {
            return now.plus(AFTER_ACTION);
        }
        return bootstrapNext.filter(b -> b.isBefore(healingNext)).orElse(healingNext);
    }

    /** The delay to reschedule with: the wanted time clamped to [1 s, resync]; no wish means the resync interval. */
    public static Duration delay(Optional<Instant> nextCheck, Instant now, Duration resync) {
        Duration wanted = nextCheck.map(t -> Duration.between(now, t)).orElse(resync);
        if (wanted.compareTo(resync) > 0) {
            return resync;
        }
        return wanted.compareTo(MIN_DELAY) < 0 ? MIN_DELAY : wanted;
    }
}
