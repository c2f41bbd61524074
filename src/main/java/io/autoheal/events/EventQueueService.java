package io.autoheal.events;

import io.autoheal.cluster.ClusterWakeups;
import io.autoheal.config.Leadership;
import io.autoheal.config.OperatorConfig;
import io.autoheal.fleet.EventQueue;
import io.autoheal.fleet.EventQueues;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.Optional;

/**
 * Runs the {@link EventQueueConsumer} when {@code autoheal.events.queue-url} is set: after the operator started
 * (observer priority after OperatorStarter's) and, with leader election, once this replica holds the Lease — a
 * follower must not take the leader's events. Without a queue nothing runs and healing relies on the resync. Whether
 * the queue is this operator's alone, shared, or another shard's, its tags say ({@link EventRouting#mode}).
 */
@ApplicationScoped
public class EventQueueService {
    private final OperatorConfig config;
    private final InventoryEventSink sink;
    private final MeterRegistry registry;
    private final EventQueues queues;
    private final ClusterWakeups wakeups;
    /** Whether this replica may take events: it holds the Lease (or runs without leader election). */
    private final java.util.function.BooleanSupplier mayAct;
    private volatile Thread waiter;
    private volatile EventQueue queue;
    private volatile EventQueueConsumer consumer;
    private volatile boolean stopped;

    @jakarta.inject.Inject
    public EventQueueService(OperatorConfig config, InventoryEventSink sink, MeterRegistry registry, EventQueues queues,
                             ClusterWakeups wakeups) {
        this(config, sink, registry, queues, wakeups, Leadership::mayAct);
    }

    EventQueueService(OperatorConfig config, InventoryEventSink sink, MeterRegistry registry, EventQueues queues,
                      ClusterWakeups wakeups, java.util.function.BooleanSupplier mayAct) {
        this.mayAct = mayAct;
        this.wakeups = wakeups;
        this.config = config;
        this.sink = sink;
        this.registry = registry;
        this.queues = queues;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
        Optional<String> url = config.events().queueUrl().map(String::strip).filter(u -> !u.isEmpty());
        if (url.isEmpty()) {
            Log.infof("event queue: none configured (autoheal.events.queue-url); changes are seen at the resync every %s",
                    config.resyncInterval());
            return;
        }
        waiter = new Thread(() -> startWhenLeading(url.get()), "autoheal-events-start");
        waiter.setDaemon(true);
        waiter.start();
    }

    private void startWhenLeading(String queueUrl) {
        try {
            while (!mayAct.getAsBoolean()) { // not even opened: a follower neither receives nor deletes
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            return;
        }
        synchronized (this) {
            if (stopped) {
                return;
            }
            queue = queues.open(queueUrl);
            EventMetrics metrics = new EventMetrics(registry);
            EventRouting.QueueMode mode = EventRouting.mode(queueTags(queueUrl, metrics), config.shard());
            if (mode == EventRouting.QueueMode.FOREIGN) {
                metrics.error("foreign_queue");
                Log.errorf("event queue: %s is tagged %s for another shard than this operator's (%s): not consumed, its messages are "
                        + "that shard's; give this operator its own queue (docs/scaling.md). Healing relies on the resync meanwhile",
                        queueUrl, EventRouting.QUEUE_TAG, config.shard().orElse(EventRouting.UNSHARDED));
                return;
            }
            consumer = new EventQueueConsumer(queue, sink::place, mode, metrics, EventQueueConsumer.Settings.defaults());
            consumer.start();
            wakeups.fedBy(consumer::receiving); // from now on a pass that acted waits for its action's event
        }
    }

    /** The queue's tags; empty when they cannot be read (then the queue counts as untagged). */
    private Optional<java.util.Map<String, String>> queueTags(String queueUrl, EventMetrics metrics) {
        try {
            return Optional.of(queue.tags());
        } catch (RuntimeException e) {
            metrics.error("queue_tags");
            Log.warnf("event queue: cannot read the tags of %s (%s); it counts as untagged (%s)", queueUrl, e.getMessage(),
                    config.shard().isPresent() ? "shared: only this shard's messages are deleted" : "this operator's own");
            return Optional.empty();
        }
    }

    /** The consumer, once started (tests). */
    public Optional<EventQueueConsumer> consumer() {
        return Optional.ofNullable(consumer);
    }

    void onStop(@Observes ShutdownEvent event) {
        synchronized (this) {
            stopped = true;
            if (waiter != null) {
                waiter.interrupt();
            }
            if (consumer != null) {
                consumer.close();
            }
            if (queue != null) {
                queue.close();
            }
        }
    }
}
