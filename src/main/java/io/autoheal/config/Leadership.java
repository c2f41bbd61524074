package io.autoheal.config;

/**
 * Whether this replica may act on the outside world beyond reconciling: always without leader election, and with it
 * only once this replica holds the Lease (JOSDK starts reconciling only then; a replica that loses the Lease exits).
 * Used by what runs outside JOSDK's event processing, e.g. the event-queue consumer: on a follower it would take
 * and delete events the leader needs.
 */
public final class Leadership {
    private static volatile boolean electionOn;
    private static volatile boolean leading;

    private Leadership() {
    }

    /** Leader election is in effect (the SDK asked for its configuration and got one). */
    static void electionOn() {
        electionOn = true;
    }

    /** This replica acquired the Lease. */
    static void acquired() {
        leading = true;
    }

    public static boolean mayAct() {
        return !electionOn || leading;
    }
}
