package io.autoheal.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Pure: when a cluster is looked at again. The earliest time healing or bootstrap asked for; soon after the pass
 * acted (to see the effect of its own AWS calls); never later than the resync interval, never sooner than a second.
 * With the event queue consumed, the effect of an action announces itself (the replacement's launch wakes the
 * cluster at once), so the look after an action is only a safety net for an event that never comes.
 */
public final class Requeue {
    /** How soon a pass that changed the group or replaced a machine looks again, without events (and never sooner). */
    static final Duration AFTER_ACTION = Duration.ofSeconds(3);
    /** The latest look after an action while events arrive: the safety net, should the launch event be lost. */
    static final Duration AFTER_ACTION_WITH_EVENTS = Duration.ofSeconds(15);
    static final Duration MIN_DELAY = Duration.ofSeconds(1);

    private Requeue() {
    }

    /**
     * The next check of a pass that got as far as healing.
     *
     * @param eventDriven the event queue is consumed now (a consumer that cannot receive does not count: the
     *                    cluster then looks after {@link #AFTER_ACTION} as without a queue)
     */
    public static Instant nextCheck(Instant healingNext, Optional<Instant> bootstrapNext, boolean acted, boolean eventDriven, Instant now) {
        Instant wished = bootstrapNext.filter(b -> b.isBefore(healingNext)).orElse(healingNext);
        if (!acted) {
            return wished;
        }
        Instant soonest = now.plus(AFTER_ACTION);
        if (!eventDriven || !wished.isAfter(soonest)) {
            return soonest; // a wish sooner than that would only see the action half done
        }
        Instant net = now.plus(AFTER_ACTION_WITH_EVENTS);
        return wished.isBefore(net) ? wished : net; // a deadline (bootstrap poll, startup) no event would announce
    }

    /** The delay to reschedule with: the wanted time clamped to [1 s, resync]; no wish means the resync interval. */
    public static Duration delay(Optional<Instant> nextCheck, Instant now, Duration resync) {
        Duration wanted = nextCheck.map(t -> Duration.between(now, t)).orElse(resync);
        if (wanted.compareTo(resync) > 0) {
            return resync;
        }
        return wanted.compareTo(MIN_DELAY) < 0 ? MIN_DELAY : wanted;
    }

    /** The delay until {@code next} (a region's next attempt), never below {@link #MIN_DELAY}. */
    public static Duration until(Instant next, Instant now) {
        Duration wanted = Duration.between(now, next);
        return wanted.compareTo(MIN_DELAY) < 0 ? MIN_DELAY : wanted;
    }
}
