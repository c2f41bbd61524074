package io.autoheal.events;

import java.util.Map;
import java.util.Optional;

/**
 * Which queue messages a consumer may delete. Sharded operators each consume their own queue, and EventBridge's rules
 * target every shard's queue, so every shard receives every event: it handles what names its own resources and deletes
 * the rest, since the owner has its own copy. A queue shared by several consumers (a misconfiguration) must not lose
 * an event to a consumer that does not own it: there a message for resources the consumer cannot place is left for its
 * visibility timeout, so that another consumer receives it — up to {@link #MAX_RECEIVES} receives, after which it is
 * nobody's (an instance outside every shard) and deleted. Pure.
 * <p>
 * Whose a queue is, the queue says: its tag {@value #QUEUE_TAG} names the shard it feeds ({@value #UNSHARDED} for the
 * operator without a shard). Untagged, it is the unsharded operator's own queue (its one consumer, as before tags), and
 * shared for a sharded operator (it cannot prove the queue is its own). A queue tagged for another shard is not consumed
 * at all: taking its messages would hide them from their owner.
 */
public final class EventRouting {
    public static final String QUEUE_TAG = "autoheal.io/queue-for";
    public static final String UNSHARDED = "unsharded";
    /**
     * On a shared queue: receives of a message nobody placed before it is deleted as nobody's. Which waiting consumer
     * receives a message is a coin toss, so its owner misses it with probability ((n-1)/n)^MAX_RECEIVES among n
     * consumers: 10 keeps that under 0.1 % for two (5 lost about 3 % of one shard's events in CI's ShardEventsIT).
     */
    public static final int MAX_RECEIVES = 10;

    /** What the event names, as this consumer's inventory places it. */
    public enum Ownership {
        /** An instance or group of this operator: the sink woke its cluster. */
        OURS,
        /** Instances or a group this operator's (synced) inventory does not hold: another shard's, or nobody's. */
        NOT_OURS,
        /** Names no instance and no group (an event type we do not act on): nobody can own it. */
        NOTHING_TO_OWN,
        /** The inventory of the event's region has not been read yet: it cannot tell (leave it alone). */
        UNPLACED
    }

    public enum QueueMode {
        /** This consumer's alone: every shard has its own copy of every event. */
        DEDICATED,
        /** Possibly read by other consumers too: delete only what is ours (or nobody's). */
        SHARED,
        /** Tagged for another shard: not consumed. */
        FOREIGN
    }

    public enum Action {
        DELETE,
        /** Not deleted: visible again after the queue's visibility timeout, for another consumer or a later pass. */
        LEAVE
    }

    private EventRouting() {
    }

    /** The queue's mode from its tags (empty: the tags could not be read) and this operator's shard. */
    public static QueueMode mode(Optional<Map<String, String>> queueTags, Optional<String> shard) {
        String mine = shard.filter(s -> !s.isBlank()).orElse(UNSHARDED);
        Optional<String> tagged = queueTags.map(t -> t.get(QUEUE_TAG)).filter(v -> !v.isBlank()).map(String::strip);
        if (tagged.isPresent()) {
            return tagged.get().equals(mine) ? QueueMode.DEDICATED : QueueMode.FOREIGN;
        }
        return mine.equals(UNSHARDED) ? QueueMode.DEDICATED : QueueMode.SHARED;
    }

    /**
     * @param receiveCount how often SQS has handed out this message, this receive included (ApproximateReceiveCount)
     */
    public static Action decide(Ownership ownership, QueueMode mode, int receiveCount) {
        return switch (ownership) {
            case OURS, NOTHING_TO_OWN -> Action.DELETE;
            case NOT_OURS -> mode == QueueMode.DEDICATED || receiveCount >= MAX_RECEIVES ? Action.DELETE : Action.LEAVE;
            case UNPLACED -> receiveCount >= MAX_RECEIVES ? Action.DELETE : Action.LEAVE;
        };
    }
}
