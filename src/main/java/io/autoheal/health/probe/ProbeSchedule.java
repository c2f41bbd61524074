package io.autoheal.health.probe;

import java.time.Duration;
import java.time.Instant;

/**
 * Pure: when a probe of one machine is due. The first run is initialDelaySeconds after the machine came into service
 * plus a fixed offset inside the period (derived from cluster, machine and probe), so that 10,000 machines probed every
 * 10 s make a steady 1,000 probes/s rather than a burst every 10 s. Later runs keep that phase; a prober that fell
 * behind skips the runs it missed instead of firing them all at once.
 */
public final class ProbeSchedule {
    private ProbeSchedule() {
    }

    public static Instant first(Instant inServiceSince, int initialDelaySeconds, int periodSeconds, String key) {
        return inServiceSince.plusSeconds(initialDelaySeconds).plus(offset(periodSeconds, key));
    }

    /** The next run after {@code due}, strictly after {@code now}. */
    public static Instant next(Instant due, int periodSeconds, Instant now) {
        Duration period = Duration.ofSeconds(periodSeconds);
        Instant next = due.plus(period);
        if (!next.isAfter(now)) {
            long behind = Duration.between(next, now).toMillis() / period.toMillis() + 1;
            next = next.plus(period.multipliedBy(behind));
        }
        return next;
    }

    /** A stable offset in [0, period): the same key always lands on the same phase (restarts do not bunch probes). */
    static Duration offset(int periodSeconds, String key) {
        long spread = Math.floorMod(mix(key.hashCode()), periodSeconds * 1000L);
        return Duration.ofMillis(spread);
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
