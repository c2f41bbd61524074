package io.autoheal.config;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether this replica may act on the outside world: always without leader election, and with it only while this
 * replica holds the Lease. Two questions:
 * <ul>
 * <li>{@link #mayAct()}: has this replica acquired the Lease (JOSDK starts reconciling only then; a replica that loses
 * it exits)? Used by what runs outside JOSDK's event processing, e.g. the event-queue consumer: on a follower it would
 * take and delete events the leader needs.</li>
 * <li>{@link #fence(Instant)}: does it still hold the Lease <em>now</em>, with margin ({@link Fence})? Asked before every
 * AWS write and every bootstrap or drain trigger: a leader that was paused or cut off must not act in the seconds before
 * it notices it lost the Lease.</li>
 * </ul>
 */
public final class Leadership {
    private static volatile boolean electionOn;
    private static volatile boolean leading;
    private static volatile String identity;
    private static volatile Fence fence;
    private static volatile Fence.Renewal lastRenewal;

    private Leadership() {
    }

    /** Leader election is in effect (the SDK asked for its configuration and got one). */
    static void electionOn() {
        electionOn = true;
    }

    /** Leader election is in effect for this identity; the fence measures its renewals. */
    static void electionOn(String id, Fence f) {
        identity = id;
        fence = f;
        electionOn = true;
    }

    /** This replica acquired the Lease. */
    static void acquired() {
        leading = true;
    }

    /** What the Lease said when this replica last read it. */
    static void observed(Fence.Renewal renewal) {
        lastRenewal = renewal;
    }

    static Fence.Renewal lastObserved() {
        return lastRenewal;
    }

    public static boolean mayAct() {
        return !electionOn || leading;
    }

    /** Whether a write may go out now: always open without leader election (local runs, tests). */
    public static Fence.Decision fence(Instant now) {
        if (!electionOn) {
            return Fence.Open.ALWAYS;
        }
        if (!leading) {
            return new Fence.Refused("this replica does not hold the Lease");
        }
        Fence f = fence;
        if (f == null) {
            return new Fence.Refused("no fence configured for the Lease");
        }
        return f.decide(identity, Optional.ofNullable(lastRenewal), now);
    }

    /** Back to "no leader election" (tests that set it up in this JVM). */
    static void reset() {
        electionOn = false;
        leading = false;
        identity = null;
        fence = null;
        lastRenewal = null;
    }
}
