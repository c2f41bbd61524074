package io.autoheal.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.kube.EventRecorder.DropCause;
import io.autoheal.metrics.KubeEventMetrics;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Events leave the reconcile's thread: against an API server that holds every request, recording returns while the
 * request is still held and the Event arrives once it is let go; beyond {@link EventRecorder#MAX_PENDING} waiting an
 * Event is dropped and counted by cause; a repeat (the name taken: 409) becomes the series' next count, each in turn.
 */
class EventRecorderAsyncTest {
    private static final String TAKEN = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"AlreadyExists\",\"code\":409}";
    private static final Pattern COUNT = Pattern.compile("\"count\":(\\d+)");

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean answered;
    private final java.util.concurrent.atomic.AtomicInteger held = new java.util.concurrent.atomic.AtomicInteger();
    private HttpServer server;

    interface Answer {
        void answer(HttpExchange exchange, String body) throws IOException;
    }

    KubernetesClient apiServer(Answer answer) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher count = COUNT.matcher(body);
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + (count.find() ? " count=" + count.group(1) : ""));
            answer.answer(exchange, body);
        });
        server.start();
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .withRequestRetryBackoffLimit(0).withRequestTimeout(60_000).build()).build();
    }

    /** Holds every request until the test lets go (at most 30 s), then answers 201. */
    KubernetesClient heldApiServer() throws Exception {
        return apiServer((exchange, body) -> {
            held.incrementAndGet();
            arrived.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answered = true;
            reply(exchange, 201, "{\"apiVersion\":\"events.k8s.io/v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"e\",\"namespace\":\"ns\",\"resourceVersion\":\"1\"}}");
        });
    }

    static void reply(HttpExchange exchange, int code, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    static HealingCluster cluster() {
        HealingCluster hc = new HealingCluster();
        hc.getMetadata().setName("c");
        hc.getMetadata().setNamespace("ns");
        hc.getMetadata().setUid("u-1");
        return hc;
    }

    @Test
    void recordingReturnsWhileTheApiServerStillHoldsTheRequestAndTheEventArrives() throws Exception {
        EventRecorder recorder = new EventRecorder(heldApiServer(), Clock.systemUTC());
        recorder.normal(cluster(), Reason.AsgCreated, "Create", "created the group");
        // a recorder that sent on the caller's thread would return only after the server answered (it holds 30 s)
        assertThat(answered).as("the server answered before normal() returned").isFalse();
        assertThat(recorder.pending()).isEqualTo(1);
        assertThat(arrived.await(10, TimeUnit.SECONDS)).as("the request reached the server").isTrue();
        assertThat(answered).isFalse();
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.pending() == 0);
        assertThat(requests).containsExactly("POST /apis/events.k8s.io/v1/namespaces/ns/events");
        assertThat(recorder.dropped(DropCause.SEND_FAILED)).isZero();
    }

    @Test
    void beyondMaxPendingEventsAreDroppedAndCountedAndShutdownCountsWhatWasLeft() throws Exception {
        EventRecorder recorder = new EventRecorder(heldApiServer(), Clock.systemUTC());
        MeterRegistry registry = new SimpleMeterRegistry();
        new KubeEventMetrics(registry, recorder);
        for (int i = 0; i < EventRecorder.MAX_PENDING + 3; i++) {
            recorder.warning(cluster(), Reason.AsgCreated, "Create", "same name, so one sender: the first is held, the rest wait");
        }
        assertThat(recorder.dropped()).isEqualTo(3);
        assertThat(dropped(registry, "queue_full")).isEqualTo(3);
        assertThat(dropped(registry, "shutdown")).isZero();
        assertThat(registry.get("autoheal.kube.events.pending").gauge().value()).isEqualTo(EventRecorder.MAX_PENDING);

        assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue(); // the first is in flight, not in the queue
        recorder.drain(0);
        recorder.normal(cluster(), Reason.AsgCreated, "Create", "after shutdown");
        assertThat(dropped(registry, "shutdown")).as("waiting at shutdown, and recorded after it").isEqualTo(EventRecorder.MAX_PENDING - 1 + 1);
        assertThat(dropped(registry, "queue_full")).isEqualTo(3);
    }

    @Test
    void shutdownWaitsOneSharedDeadlineNotOnePerSender() throws Exception {
        EventRecorder recorder = new EventRecorder(heldApiServer(), Clock.systemUTC());
        for (int i = 0; i < 40; i++) {
            recorder.normal(cluster(), Reason.AsgCreated, "Create", "event " + i); // 40 names: every sender gets some
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> held.get() == EventRecorder.SENDERS);
        long started = System.nanoTime();
        recorder.drain(2_000);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        // every sender is held: one deadline per sender would take 4 x 2 s = 8 s at least
        assertThat(took).as("drain with 4 held senders").isGreaterThanOrEqualTo(Duration.ofMillis(1_900)).isLessThan(Duration.ofSeconds(6));
        assertThat(recorder.dropped(DropCause.SHUTDOWN)).as("waiting behind the held ones").isEqualTo(40 - EventRecorder.SENDERS);
    }

    static double dropped(MeterRegistry registry, String cause) {
        return registry.get("autoheal.kube.events.dropped").tag("cause", cause).functionCounter().count();
    }

    @Test
    void aRepeatBecomesTheSeriesNextCountOneAfterTheOther() throws Exception {
        CountDownLatch secondPost = new CountDownLatch(2);
        StringBuilder stored = new StringBuilder("{\"apiVersion\":\"events.k8s.io/v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"e\",\"namespace\":\"ns\",\"resourceVersion\":\"1\"}}");
        KubernetesClient client = apiServer((exchange, body) -> {
            switch (exchange.getRequestMethod()) {
                case "POST" -> {
                    secondPost.countDown();
                    reply(exchange, 409, TAKEN);
                }
                case "GET" -> {
                    try {
                        // if the two Events raced on two senders, the second POST would come now and both would read count 1
                        secondPost.await(1, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    String current;
                    synchronized (stored) {
                        current = stored.toString();
                    }
                    reply(exchange, 200, current);
                }
                default -> {
                    synchronized (stored) {
                        stored.setLength(0);
                        stored.append(body);
                    }
                    reply(exchange, 200, body);
                }
            }
        });
        EventRecorder recorder = new EventRecorder(client, Clock.systemUTC());
        recorder.warning(cluster(), Reason.AsgCreated, "Create", "again");
        recorder.warning(cluster(), Reason.AsgCreated, "Create", "again");
        await().atMost(Duration.ofSeconds(15)).until(() -> recorder.pending() == 0);
        assertThat(requests).hasSize(6);
        assertThat(requests.get(0)).startsWith("POST ");
        assertThat(requests.get(1)).startsWith("GET /apis/events.k8s.io/v1/namespaces/ns/events/c.");
        assertThat(requests.stream().filter(r -> r.startsWith("PUT ")).map(r -> r.substring(r.lastIndexOf(' ') + 1)))
                .containsExactly("count=2", "count=3");
        assertThat(recorder.dropped(DropCause.SEND_FAILED)).isZero();
    }

    @Test
    void aTakenNameWhoseEventCannotBeReadAndARefusalAreCountedAsSendFailed() throws Exception {
        KubernetesClient client = apiServer((exchange, body) -> {
            switch (exchange.getRequestMethod()) {
                case "POST" -> reply(exchange, body.contains("refused") ? 403 : 409,
                        body.contains("refused") ? "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":403}" : TAKEN);
                default -> reply(exchange, 404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}");
            }
        });
        EventRecorder recorder = new EventRecorder(client, Clock.systemUTC());
        MeterRegistry registry = new SimpleMeterRegistry();
        new KubeEventMetrics(registry, recorder);
        recorder.warning(cluster(), Reason.AsgCreated, "Create", "taken, then gone");
        recorder.warning(cluster(), Reason.AsgCreated, "Create", "refused");
        await().atMost(Duration.ofSeconds(15)).until(() -> recorder.pending() == 0);
        assertThat(dropped(registry, "send_failed")).isEqualTo(2);
        assertThat(recorder.dropped()).isZero();
    }
}
