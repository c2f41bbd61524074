package io.autoheal.fleet;

import java.util.List;

/**
 * Port: the queue that brings the cloud's events about the fleet (an SQS queue fed by EventBridge). Failures are
 * {@link CloudFailure}s; a message not deleted comes back after the queue's visibility timeout.
 */
public interface EventQueue extends AutoCloseable {
    /**
     * One message: its id (for the log), the handle that deletes it, its body (the event's JSON) and how often the queue
     * has handed it out (SQS' ApproximateReceiveCount; 1 when the queue does not say).
     */
    record Message(String id, String receiptHandle, String body, int receiveCount) {
        public Message(String id, String receiptHandle, String body) {
            this(id, receiptHandle, body, 1);
        }
    }

    /** The queue's address (for the log). */
    String url();

    /** One long poll: up to {@code maxMessages}, waiting at most {@code waitSeconds} for the first. */
    List<Message> receive(int maxMessages, int waitSeconds);

    /** Deletes the messages in one batch; returns why each one that was not deleted was not (empty: all deleted). */
    List<String> delete(List<Message> messages);

    /** The queue's tags (whose queue it is: EventRouting.QUEUE_TAG). */
    java.util.Map<String, String> tags();

    /** How many messages wait in the queue (approximately, as the queue counts them). */
    long waiting();

    @Override
    void close();
}
