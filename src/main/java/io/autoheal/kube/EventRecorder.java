package io.autoheal.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.api.model.events.v1.EventSeriesBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * Records Kubernetes Events (events.k8s.io/v1) on our resources. Repeats of the same reason and message on the
 * same object become a series (count + last time) on one Event, so a stuck condition cannot flood etcd.
 * Failing to record an Event is logged, never allowed to fail a reconcile.
 * <p>
 * Events are sent in the background, never on the reconcile's thread: the scale harness (docs/performance.md, part 6)
 * showed a thousand clusters' cold start held up because every pool pass posted one Event per address it associated,
 * each a round trip to the API server, while JOSDK's reconcile threads (shared by both controllers) waited on them and
 * no cluster got a thread. {@value #SENDERS} senders, each Event name always on the same one (a series is never raced);
 * at most {@value #MAX_PENDING} waiting, beyond that an Event is dropped and counted (the API server is then the
 * bottleneck, and an Event is observation, not state). A queued Event holds only what is sent (an ObjectReference, not
 * the resource with its status rows): 20,000 of them stay small under an API-server stall. Every Event lost is counted
 * by {@link DropCause} ({@code autoheal_kube_events_dropped_total}, io.autoheal.metrics.KubeEventMetrics).
 */
@ApplicationScoped
public class EventRecorder {
    static final String CONTROLLER = "autoheal.io/operator";
    private static final DateTimeFormatter MICRO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private final KubernetesClient client;
    private final Clock clock;
    static final int SENDERS = 4;
    static final int MAX_PENDING = 20_000;
    private final String instance;
    private final ExecutorService[] senders = new ExecutorService[SENDERS];
    private final AtomicInteger pending = new AtomicInteger();
    private final Map<DropCause, AtomicLong> dropped = new EnumMap<>(DropCause.class);

    /** Why an Event never reached the API server (the metric's bounded {@code cause} label). */
    public enum DropCause {
        /** {@value EventRecorder#MAX_PENDING} were waiting. */
        QUEUE_FULL,
        /** recorded after shutdown began, or still waiting when the shutdown's grace ran out. */
        SHUTDOWN,
        /** the API server refused it (not 409), a taken name whose Event could not be read, or the series update failed. */
        SEND_FAILED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
        this.instance = System.getenv().getOrDefault("HOSTNAME", "autoheal-operator");
        for (DropCause cause : DropCause.values()) {
            dropped.put(cause, new AtomicLong());
        }
        for (int i = 0; i < SENDERS; i++) {
            String threadName = "event-sender-" + i;
            senders[i] = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
            });
        }
    }

    /** Events not yet sent (the tests wait on it; {@code autoheal_kube_events_pending} shows it). */
    public int pending() {
        return pending.get();
    }

    /** Events dropped because {@value #MAX_PENDING} were waiting. */
    public long dropped() {
        return dropped(DropCause.QUEUE_FULL);
    }

    /** Events lost for that cause since start. */
    public long dropped(DropCause cause) {
        return dropped.get(cause).get();
    }

    /** At shutdown: what is waiting gets {@value #DRAIN_MILLIS} ms in all (one deadline shared by the senders) to reach the API server. */
    @PreDestroy
    void drain() {
        drain(DRAIN_MILLIS);
    }

    static final long DRAIN_MILLIS = 5_000;

    void drain(long graceMillis) {
        for (ExecutorService sender : senders) {
            sender.shutdown();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        try {
            for (ExecutorService sender : senders) {
                sender.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int unsent = 0;
        for (ExecutorService sender : senders) {
            unsent += sender.shutdownNow().size();
        }
        if (unsent > 0) {
            pending.addAndGet(-unsent);
            dropped.get(DropCause.SHUTDOWN).addAndGet(unsent);
            Log.warnf("events: %d not sent within the shutdown's %d ms, dropped", unsent, graceMillis);
        }
    }

    public void normal(HasMetadata target, Reason reason, String action, String message) {
        record(target, "Normal", reason, action, message);
    }

    public void warning(HasMetadata target, Reason reason, String action, String message) {
        record(target, "Warning", reason, action, message);
    }

    private void record(HasMetadata target, String type, Reason reason, String action, String message) {
        String ns = target.getMetadata().getNamespace();
        String name = target.getMetadata().getName() + "." + fingerprint(target, type, reason, message);
        MicroTime now = new MicroTime(MICRO.format(clock.instant()));
        // only this reference and the (truncated) note wait in the queue, never the resource itself
        String note = truncate(message);
        ObjectReference regarding = new ObjectReferenceBuilder().withApiVersion(target.getApiVersion()).withKind(target.getKind())
                .withName(target.getMetadata().getName()).withNamespace(ns).withUid(target.getMetadata().getUid()).build();
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            long lost = dropped.get(DropCause.QUEUE_FULL).incrementAndGet();
            if (lost % 1000 == 1) {
                Log.warnf("events: %d waiting to be sent, event %s on %s/%s dropped (%d dropped so far)", MAX_PENDING, reason, ns,
                        regarding.getName(), lost);
            }
            return;
        }
        try {
            senders[Math.floorMod(name.hashCode(), SENDERS)].execute(() -> {
                try {
                    send(regarding, name, now, type, reason, action, note);
                } finally {
                    pending.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            pending.decrementAndGet();
            dropped.get(DropCause.SHUTDOWN).incrementAndGet();
        }
    }

    /** New Events are created at once (one request); a repeat finds its name taken and becomes the series' next count. */
    private void send(ObjectReference regarding, String name, MicroTime now, String type, Reason reason, String action, String note) {
        String ns = regarding.getNamespace();
        try {
            var events = client.events().v1().events().inNamespace(ns);
            try {
                events.resource(new EventBuilder()
                        .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                        .withEventTime(now).withType(type).withReason(reason.name()).withAction(action)
                        .withNote(note).withReportingController(CONTROLLER).withReportingInstance(instance)
                        .withRegarding(regarding)
                        .build()).create();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
            Event existing = events.withName(name).get();
            if (existing == null) {
                lost(regarding, reason, "its name " + name + " is taken but the Event could not be read");
                return;
            }
            int count = existing.getSeries() == null ? 2 : existing.getSeries().getCount() + 1;
            existing.setSeries(new EventSeriesBuilder().withCount(count).withLastObservedTime(now).build());
            events.resource(existing).update();
        } catch (RuntimeException e) { // KubernetesClientException, or anything else: never kill the sender
            lost(regarding, reason, e.getMessage());
        }
    }

    private void lost(ObjectReference regarding, Reason reason, String why) {
        dropped.get(DropCause.SEND_FAILED).incrementAndGet();
        Log.warnf("could not record event %s on %s/%s: %s", reason, regarding.getNamespace(), regarding.getName(), why);
    }

    private static String fingerprint(HasMetadata target, String type, Reason reason, String message) {
        CRC32 crc = new CRC32();
        crc.update((target.getMetadata().getUid() + type + reason + message).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }

    private static String truncate(String message) {
        return message.length() <= 1000 ? message : message.substring(0, 997) + "...";
    }
}
