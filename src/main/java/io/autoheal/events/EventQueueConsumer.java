package io.autoheal.events;

import io.autoheal.fleet.EventQueue;
import io.autoheal.fleet.EventQueue.Message;
import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Long-polls the event queue, reads each message into a {@link FleetEvent}, hands the events to the sink and deletes
 * the messages {@link EventRouting#decide} allows (one batch delete per receive): on the operator's own queue every
 * message it read, event or malformed; on a queue other consumers may read too, not one whose resources another
 * consumer may own. The sink is level-based (it only says where to look again), so duplicates and out-of-order events
 * are harmless and nothing is de-duplicated here; a message left or whose delete fails comes back after the queue's
 * visibility timeout. An SQS outage is a metric and
 * one log line at its start and end: the loop backs off (doubling up to a minute) and never gives up.
 */
public final class EventQueueConsumer implements AutoCloseable {
    /** Long poll (20 s, SQS's maximum) of up to 10 messages (SQS's maximum); back-off after failed receives; backlog sampling. */
    public record Settings(int waitSeconds, int maxMessages, Duration backoff, Duration maxBackoff, Duration backlogEvery) {
        public static Settings defaults() {
            return new Settings(20, 10, Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofSeconds(30));
        }
    }

    private static final Duration MALFORMED_LOG_EVERY = Duration.ofMinutes(5);

    private final EventQueue queue;
    private final String queueUrl;
    private final Function<FleetEvent, EventRouting.Ownership> sink;
    private final EventRouting.QueueMode mode;
    private final EventMetrics metrics;
    private final Settings settings;
    private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "autoheal-events");
        t.setDaemon(true); // a long poll in progress never holds the JVM
        return t;
    });
    private volatile boolean running;
    private volatile boolean receiving;
    private long lastMalformedLog = Long.MIN_VALUE;

    /** A consumer of its own queue whose sink owns every event (tests of the queue mechanics). */
    public EventQueueConsumer(EventQueue queue, Consumer<FleetEvent> sink, EventMetrics metrics, Settings settings) {
        this(queue, e -> {
            sink.accept(e);
            return EventRouting.Ownership.OURS;
        }, EventRouting.QueueMode.DEDICATED, metrics, settings);
    }

    /**
     * @param sink acts on an event and says whose it was
     * @param mode whether other consumers read this queue too ({@link EventRouting#mode})
     */
    public EventQueueConsumer(EventQueue queue, Function<FleetEvent, EventRouting.Ownership> sink, EventRouting.QueueMode mode,
                              EventMetrics metrics, Settings settings) {
        this.queue = queue;
        this.queueUrl = queue.url();
        this.sink = sink;
        this.mode = mode;
        this.metrics = metrics;
        this.settings = settings;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        receiving = true; // until a receive fails: the first long poll may take 20 s to answer
        threads.execute(this::loop);
        long every = settings.backlogEvery().toMillis();
        threads.scheduleWithFixedDelay(this::sampleBacklog, 0, every, TimeUnit.MILLISECONDS);
        Log.infof("event queue: consuming %s (%s, long poll %d s, up to %d messages)", queueUrl, mode == EventRouting.QueueMode.DEDICATED
                ? "this operator's own queue: every message is deleted once read"
                : "a queue other consumers may read: messages for resources this operator cannot place are left for them",
                settings.waitSeconds(), settings.maxMessages());
    }

    public boolean running() {
        return running;
    }

    /** Running and its last receive succeeded (false from the first failed receive until one succeeds again). */
    public boolean receiving() {
        return running && receiving;
    }

    /**
     * Stops at once: a long poll in progress is not waited for (its thread ends when the poll returns, and what it
     * brings is left in the queue, visible again after the visibility timeout).
     */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        threads.shutdownNow();
        Log.infof("event queue: stopped consuming %s", queueUrl);
    }

    private void loop() {
        int failures = 0;
        while (running) {
            try {
                pollOnce();
                if (failures > 0) {
                    Log.infof("event queue: %s answers again after %d failed receive(s)", queueUrl, failures);
                    failures = 0;
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                receiving = false;
                metrics.error("receive");
                failures++;
                if (failures == 1) {
                    Log.warnf("event queue: cannot receive from %s (%s); retrying with back-off, healing falls back to the resync meanwhile",
                            queueUrl, e.getMessage());
                } else {
                    Log.debugf("event queue: receive failed %d times in a row: %s", failures, e.getMessage());
                }
                if (!sleep(backoff(failures))) {
                    return;
                }
            }
        }
    }

    /** One receive, the events to the sink, one batch delete. Throws when the receive fails. */
    void pollOnce() {
        List<Message> messages = queue.receive(settings.maxMessages(), settings.waitSeconds());
        receiving = true;
        if (!running) {
            return; // stopped during the poll: leave the messages to the next consumer
        }
        List<Message> handled = new ArrayList<>();
        for (Message m : messages) {
            FleetEvent event = FleetEventParser.parse(m.body());
            EventRouting.Action action = EventRouting.Action.DELETE; // a malformed message is nobody's
            if (event instanceof FleetEvent.Malformed malformed) {
                metrics.malformed();
                logMalformed(m.id(), malformed.reason());
            } else {
                metrics.received(event);
                action = EventRouting.decide(deliver(event), mode, receiveCount(m));
            }
            if (action == EventRouting.Action.LEAVE) {
                metrics.left();
                continue;
            }
            handled.add(m);
        }
        if (!handled.isEmpty()) {
            delete(handled);
        }
    }

    private EventRouting.Ownership deliver(FleetEvent event) {
        try {
            return sink.apply(event);
        } catch (RuntimeException e) {
            // Deleted anyway: a message the sink cannot take would otherwise come back forever; the resync covers it.
            metrics.error("sink");
            Log.errorf(e, "event queue: the sink failed on %s", event);
            return EventRouting.Ownership.NOTHING_TO_OWN;
        }
    }

    private static int receiveCount(Message m) {
        return Math.max(1, m.receiveCount());
    }

    private void delete(List<Message> entries) {
        try {
            List<String> failed = queue.delete(entries);
            if (!failed.isEmpty()) {
                failed.forEach(f -> metrics.error("delete"));
                Log.warnf("event queue: %d of %d messages not deleted (%s); they come back after the visibility timeout",
                        failed.size(), entries.size(), failed.get(0));
            }
        } catch (RuntimeException e) {
            metrics.error("delete");
            Log.warnf("event queue: delete of %d messages failed (%s); they come back after the visibility timeout", entries.size(), e.getMessage());
        }
    }

    private void sampleBacklog() {
        try {
            metrics.waiting(queue.waiting());
        } catch (RuntimeException e) {
            if (running) {
                metrics.error("queue_attributes");
                Log.debugf("event queue: cannot read the backlog of %s: %s", queueUrl, e.getMessage());
            }
        }
    }

    private synchronized void logMalformed(String messageId, String reason) {
        long now = System.nanoTime();
        if (lastMalformedLog == Long.MIN_VALUE || now - lastMalformedLog >= MALFORMED_LOG_EVERY.toNanos()) {
            lastMalformedLog = now;
            Log.warnf("event queue: message %s is no fleet event (%s); deleted and counted in autoheal_events_malformed_total "
                    + "(logged at most every %d min)", messageId, reason, MALFORMED_LOG_EVERY.toMinutes());
        }
    }

    Duration backoff(int failures) {
        long factor = 1L << Math.min(failures - 1, 20);
        Duration d = settings.backoff().multipliedBy(factor);
        return d.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : d;
    }

    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
