package io.autoheal.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Events leave the reconcile's thread: against an API server that takes 2 s per request, recording returns at once and
 * the Event still arrives; a repeat (the name taken: 409) becomes the series' next count.
 */
class EventRecorderAsyncTest {
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private volatile boolean taken;

    KubernetesClient slowApiServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + (body.contains("\"count\":2") ? " count=2" : ""));
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            boolean conflict = taken && exchange.getRequestMethod().equals("POST");
            String answer = conflict ? "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"AlreadyExists\",\"code\":409}"
                    : "{\"apiVersion\":\"events.k8s.io/v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"e\",\"namespace\":\"ns\",\"resourceVersion\":\"1\"}}";
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(conflict ? 409 : exchange.getRequestMethod().equals("POST") ? 201 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .withRequestRetryBackoffLimit(0).build()).build();
    }

    @AfterEach
    void stop() {
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
    void recordingDoesNotWaitForTheApiServerAndTheEventArrives() throws Exception {
        EventRecorder recorder = new EventRecorder(slowApiServer(), Clock.systemUTC());
        long started = System.nanoTime();
        recorder.normal(cluster(), Reason.AsgCreated, "Create", "created the group");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the caller's wait").isLessThan(Duration.ofMillis(500));
        assertThat(recorder.pending()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.pending() == 0);
        assertThat(requests).containsExactly("POST /apis/events.k8s.io/v1/namespaces/ns/events");
    }

    @Test
    void aRepeatBecomesTheSeriesNextCount() throws Exception {
        EventRecorder recorder = new EventRecorder(slowApiServer(), Clock.systemUTC());
        taken = true;
        recorder.warning(cluster(), Reason.AsgCreated, "Create", "again");
        await().atMost(Duration.ofSeconds(15)).until(() -> recorder.pending() == 0);
        assertThat(requests).hasSize(3);
        assertThat(requests.get(0)).startsWith("POST ");
        assertThat(requests.get(1)).startsWith("GET /apis/events.k8s.io/v1/namespaces/ns/events/c.");
        assertThat(requests.get(2)).startsWith("PUT /apis/events.k8s.io/v1/namespaces/ns/events/").endsWith("count=2");
    }
}
