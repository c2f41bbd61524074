package io.autoheal.config;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether the Lease holder may still write to the outside world: only while its last renewal of the Lease is younger
 * than the renew deadline. The Lease stays valid for {@code leaseDuration} after that renewal, so a write the fence
 * lets through starts at least {@code leaseDuration - renewDeadline} before another replica can take the Lease — the
 * margin in which a paused or partitioned leader that missed its renewals cannot act next to its successor. Pure:
 * the renewal is what this replica last observed on the Lease (holder and renewTime, both written by itself with its
 * own clock), {@code now} the same clock.
 */
public record Fence(Duration leaseDuration, Duration renewDeadline) {

    /** What the Lease said when it was last read: who holds it and when the holder last renewed it. */
    public record Renewal(String holder, Instant renewedAt) {
    }

    public sealed interface Decision permits Open, Refused {
        default boolean allowed() {
            return this instanceof Open;
        }
    }

    /** Writes may go ahead; {@code margin} is how long until the renew deadline of the last renewal passes. */
    public record Open(Optional<Duration> margin) implements Decision {
        public static final Open ALWAYS = new Open(Optional.empty());
    }

    /** No write: {@code reason} says why, for the log, the condition and the Event. */
    public record Refused(String reason) implements Decision {
    }

    public Fence {
        if (renewDeadline.isNegative() || renewDeadline.isZero() || leaseDuration.compareTo(renewDeadline) <= 0) {
            throw new IllegalArgumentException("fence: need lease-duration > renew-deadline > 0, got " + leaseDuration + ", " + renewDeadline);
        }
    }

    /**
     * @param identity this replica's identity in the Lease
     * @param last     the Lease as last read, empty before the first read
     */
    public Decision decide(String identity, Optional<Renewal> last, Instant now) {
        if (last.isEmpty()) {
            return new Refused("no renewal of the Lease observed yet");
        }
        Renewal r = last.get();
        if (r.holder() == null || !r.holder().equals(identity)) {
            return new Refused("the Lease is held by " + (r.holder() == null || r.holder().isBlank() ? "nobody" : r.holder())
                    + ", not by " + identity);
        }
        if (r.renewedAt() == null) {
            return new Refused("the Lease has no renew time");
        }
        if (now.isBefore(r.renewedAt())) {
            // renewTime was written with this clock: a clock that went back cannot measure the lease's age
            return new Refused("the clock (" + now + ") is before the Lease's last renewal (" + r.renewedAt() + ")");
        }
        Duration age = Duration.between(r.renewedAt(), now);
        if (age.compareTo(renewDeadline) >= 0) {
            return new Refused("the Lease was last renewed " + seconds(age) + " ago, past the renew deadline of " + seconds(renewDeadline)
                    + " (another replica may take it " + seconds(leaseDuration) + " after that renewal)");
        }
        return new Open(Optional.of(renewDeadline.minus(age)));
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
}
