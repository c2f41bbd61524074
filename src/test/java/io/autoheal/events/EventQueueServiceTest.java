package io.autoheal.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The in-process operator, configured as `make run` configures it (the sandbox's queue in autoheal.events.queue-url),
 * consumes the sandbox's event queue: an instance launched in moto shows in autoheal_events_received_total. (The
 * consumer's behaviour itself is EventQueueConsumerTest's.)
 */
@SandboxTest
class EventQueueServiceTest {
    @Inject
    EventQueueService service;
    @Inject
    MeterRegistry registry;
    @TestHTTPResource("/q/metrics")
    URL metrics;

    double instanceStates() {
        var c = registry.find("autoheal.events.received").tag("kind", "instance_state").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void theConfiguredQueueIsConsumedByTheOperator() {
        await().atMost(Duration.ofSeconds(15)).until(() -> service.consumer().map(EventQueueConsumer::running).orElse(false));
        double before = instanceStates();
        Moto.ec2().runInstances(b -> b.imageId("ami-12c6146b").minCount(1).maxCount(1));
        // pending + running; a poller of an earlier test app in this JVM may hold one for the visibility timeout (30 s)
        await().atMost(Duration.ofSeconds(60)).until(() -> instanceStates() >= before + 2);
        // the series the alerts (deploy/monitoring/rules) and their promtool tests use, as Prometheus scrapes them
        String exposition = scrape();
        assertThat(exposition).contains("# TYPE autoheal_events_received counter", "autoheal_events_received_total{kind=\"instance_state\"}",
                "# TYPE autoheal_events_malformed counter", "# TYPE autoheal_events_consumer_errors counter",
                // the error counters exist from the start (their values depend on earlier tests in this JVM: EventQueueOutageTest)
                "autoheal_events_consumer_errors_total{operation=\"receive\"} ", "autoheal_events_consumer_errors_total{operation=\"delete\"} ",
                "# TYPE autoheal_events_queue_messages gauge", "autoheal_events_queue_messages ");
    }

    String scrape() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(metrics.toString())).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
