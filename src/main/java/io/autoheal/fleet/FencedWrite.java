package io.autoheal.fleet;

/**
 * A write this replica refused to make because it cannot prove it still holds the leader-election Lease with margin
 * ({@link io.autoheal.config.Fence}). Nothing of the write was sent. It ends the pass like any failure (condition
 * reason Fenced, retried with back-off): either the replica renews its Lease and the next pass writes, or it has lost
 * the Lease and exits.
 */
public class FencedWrite extends RuntimeException {
    private final String operation;

    public FencedWrite(String operation, String reason) {
        super(operation + " not sent: " + reason, null, false, false);
        this.operation = operation;
    }

    /** The write refused, e.g. "GroupWrites.replaceInstance". */
    public String operation() {
        return operation;
    }
}
