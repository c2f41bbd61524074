package io.autoheal.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
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
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * bottleneck, and an Event is observation, not state).
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
    private final AtomicLong dropped = new AtomicLong();

    public EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
        this.instance = System.getenv().getOrDefault("HOSTNAME", "autoheal-operator");
        for (int i = 0; i < SENDERS; i++) {
            String threadName = "event-sender-" + i;
            senders[i] = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
            });
        }
    }

    /** Events not yet sent (the tests wait on it; a gauge could show it). */
    public int pending() {
        return pending.get();
    }

    /** Events dropped because {@value #MAX_PENDING} were waiting. */
    public long dropped() {
        return dropped.get();
    }

    /** At shutdown: what is waiting gets a few seconds to reach the API server. */
    @PreDestroy
    void drain() {
        for (ExecutorService sender : senders) {
            sender.shutdown();
        }
        try {
            for (ExecutorService sender : senders) {
                sender.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            if (dropped.incrementAndGet() % 1000 == 1) {
                Log.warnf("events: %d waiting to be sent, event %s on %s/%s dropped (%d dropped so far)", MAX_PENDING, reason, ns,
                        target.getMetadata().getName(), dropped.get());
            }
            return;
        }
        try {
            senders[Math.floorMod(name.hashCode(), SENDERS)].execute(() -> {
                try {
                    send(target, ns, name, now, type, reason, action, message);
                } finally {
                    pending.decrementAndGet();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            pending.decrementAndGet();
        }
    }

    /** New Events are created at once (one request); a repeat finds its name taken and becomes the series' next count. */
    private void send(HasMetadata target, String ns, String name, MicroTime now, String type, Reason reason, String action, String message) {
        try {
            var events = client.events().v1().events().inNamespace(ns);
            Event existing = null;
            try {
                events.resource(new EventBuilder()
                        .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                        .withEventTime(now).withType(type).withReason(reason.name()).withAction(action)
                        .withNote(truncate(message)).withReportingController(CONTROLLER).withReportingInstance(instance)
                        .withRegarding(new ObjectReferenceBuilder().withApiVersion(target.getApiVersion()).withKind(target.getKind())
                                .withName(target.getMetadata().getName()).withNamespace(ns)
                                .withUid(target.getMetadata().getUid()).build())
                        .build()).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                existing = events.withName(name).get();
            }
            if (existing != null) {
                int count = existing.getSeries() == null ? 2 : existing.getSeries().getCount() + 1;
                existing.setSeries(new EventSeriesBuilder().withCount(count).withLastObservedTime(now).build());
                events.resource(existing).update();
            }
        } catch (KubernetesClientException e) {
            Log.warnf("could not record event %s on %s/%s: %s", reason, ns, target.getMetadata().getName(), e.getMessage());
        }
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
