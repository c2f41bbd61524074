package io.autoheal.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the event-queue consumer counts: {@code autoheal_events_received_total{kind}} (messages read as events, by
 * {@link FleetEvent#kind()}), {@code autoheal_events_malformed_total}, {@code autoheal_events_consumer_errors_total{operation}}
 * (receive, delete, queue_attributes, sink, queue_tags, foreign_queue), {@code autoheal_events_left_total} (messages of a
 * shared queue left for another consumer, {@link EventRouting}) and the gauge {@code autoheal_events_queue_messages} (messages waiting in
 * the queue, sampled). Every series exists from the consumer's start (at 0), so rates and alerts have data at once.
 */
public class EventMetrics {
    static final List<String> KINDS = List.of("instance_state", "spot_interruption", "rebalance_recommendation", "scheduled_change",
            "lifecycle_action", "launch_result", "unknown");
    static final List<String> OPERATIONS = List.of("receive", "delete", "queue_attributes", "sink", "queue_tags", "foreign_queue");

    private final MeterRegistry registry;
    private final Map<String, Counter> received = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Counter malformed;
    private final Counter left;
    private final AtomicLong waiting = new AtomicLong();

    public EventMetrics(MeterRegistry registry) {
        this.registry = registry;
        KINDS.forEach(this::receivedCounter);
        OPERATIONS.forEach(this::errorCounter);
        malformed = Counter.builder("autoheal.events.malformed")
                .description("Queue messages that were no EventBridge event of a known shape (counted, logged, deleted)").register(registry);
        left = Counter.builder("autoheal.events.left")
                .description("Messages a consumer of a shared queue did not delete: they name resources it cannot place "
                        + "(another shard's, or its inventory not read yet), so another consumer or a later receive gets them")
                .register(registry);
        Gauge.builder("autoheal.events.queue.messages", waiting, AtomicLong::get)
                .description("Messages waiting in the event queue (SQS ApproximateNumberOfMessages, sampled every 30 s)").register(registry);
    }

    public void received(FleetEvent event) {
        receivedCounter(event.kind()).increment();
    }

    public void malformed() {
        malformed.increment();
    }

    public void left() {
        left.increment();
    }

    public double leftCount() {
        return left.count();
    }

    public void error(String operation) {
        errorCounter(operation).increment();
    }

    public void waiting(long messages) {
        waiting.set(messages);
    }

    public double receivedCount(String kind) {
        return receivedCounter(kind).count();
    }

    public double malformedCount() {
        return malformed.count();
    }

    public double errorCount(String operation) {
        return errorCounter(operation).count();
    }

    public long waitingMessages() {
        return waiting.get();
    }

    private Counter receivedCounter(String kind) {
        return received.computeIfAbsent(kind, k -> Counter.builder("autoheal.events.received")
                .description("Events read from the event queue, by kind").tags("kind", k).register(registry));
    }

    private Counter errorCounter(String operation) {
        return errors.computeIfAbsent(operation, o -> Counter.builder("autoheal.events.consumer.errors")
                .description("Failures of the event-queue consumer, by operation (an SQS call, or the sink that got an event)")
                .tags("operation", o).register(registry));
    }
}
