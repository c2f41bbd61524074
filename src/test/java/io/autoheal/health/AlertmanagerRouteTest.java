package io.autoheal.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.cluster.ClusterWakeups;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** POST /alertmanager on a real Vert.x HTTP server: the token, the size bound, the body as Alertmanager sends it, followers. */
class AlertmanagerRouteTest {
    static final String TOKEN = "s3cret-token";
    static final Instant NOW = Instant.parse("2026-11-30T03:01:00Z");
    final Vertx vertx = Vertx.vertx();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final AlertHealthSource source = new AlertHealthSource(Duration.ofMinutes(15), true);
    final AtomicBoolean leader = new AtomicBoolean(true);
    final io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

    double count(String outcome) {
        return registry.get("autoheal.alertmanager.notifications").tag("outcome", outcome).counter().count();
    }
    final List<String> woken = new java.util.concurrent.CopyOnWriteArrayList<>();
    final ClusterWakeups wakeups = new ClusterWakeups() {
        @Override
        public void wake(String clusterKey) {
            woken.add(clusterKey);
        }
    };
    HttpServer server;

    URI start(Optional<String> token) throws Exception {
        Router router = Router.router(vertx);
        new AlertmanagerRoute(source, wakeups, Clock.fixed(NOW, ZoneOffset.UTC), token, leader::get, registry).register(router);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        return URI.create("http://127.0.0.1:" + server.actualPort() + AlertmanagerRoute.PATH);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    HttpResponse<String> post(URI uri, String authorization, byte[] body) throws Exception {
        var b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theBodyAsAlertmanagerSendsItMakesTheListedAlertFire() throws Exception {
        URI uri = start(Optional.of(TOKEN));
        source.alerts().members("ns/web", List.of("i-0abc", "i-0def"), List.of("SipProcessDown"));
        var r = post(uri, "Bearer " + TOKEN, FiringAlertsTest.fixture("webhook-v4-firing.json", "i-0abc"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(source.alerts().firing("i-0abc", NOW)).extracting(FiringAlerts.Firing::name).containsExactly("SipProcessDown");
        assertThat(source.alerts().firing("i-0def", NOW)).isEmpty();
        assertThat(woken).as("the machine's cluster is woken at once").containsExactly("ns/web");
        assertThat(post(uri, "Bearer " + TOKEN, FiringAlertsTest.fixture("webhook-v4-resolved.json", "i-0abc")).statusCode()).isEqualTo(200);
        assertThat(source.alerts().firing("i-0abc", NOW)).isEmpty();
        assertThat(woken).as("resolved: woken again").containsExactly("ns/web", "ns/web");
        assertThat(post(uri, "Bearer " + TOKEN, FiringAlertsTest.fixture("webhook-v4-firing.json", "i-unknown")).statusCode()).isEqualTo(200);
        assertThat(woken).as("an alert for no machine of ours wakes nothing").hasSize(2);
        assertThat(count("accepted")).isEqualTo(3);
        assertThat(registry.get("autoheal.alertmanager.alerts.firing").gauge().value()).isZero();
    }

    @Test
    void withoutOrWithAWrongTokenIs401AndNothingIsKept() throws Exception {
        URI uri = start(Optional.of(TOKEN));
        source.alerts().members("ns/web", List.of("i-0abc"), List.of("SipProcessDown"));
        byte[] body = FiringAlertsTest.fixture("webhook-v4-firing.json", "i-0abc");
        assertThat(post(uri, null, body).statusCode()).isEqualTo(401);
        assertThat(post(uri, "Bearer wrong", body).statusCode()).isEqualTo(401);
        assertThat(post(uri, "Bearer " + TOKEN + "x", body).statusCode()).isEqualTo(401);
        assertThat(post(uri, "Basic " + TOKEN, body).statusCode()).isEqualTo(401);
        assertThat(count("unauthorized")).isEqualTo(4);
        assertThat(count("accepted")).isZero();
        assertThat(source.alerts().size()).isZero();
    }

    @Test
    void withoutAConfiguredTokenTheEndpointRefusesEveryRequest() throws Exception {
        URI uri = start(Optional.empty());
        source.alerts().members("ns/web", List.of("i-0abc"), List.of("SipProcessDown"));
        byte[] body = FiringAlertsTest.fixture("webhook-v4-firing.json", "i-0abc");
        assertThat(post(uri, "Bearer ", body).statusCode()).isEqualTo(403);
        assertThat(post(uri, "Bearer anything", body).statusCode()).isEqualTo(403);
        assertThat(count("disabled")).isEqualTo(2);
        assertThat(source.alerts().size()).isZero();
    }

    @Test
    void aBodyOverOneMebibyteIs413() throws Exception {
        URI uri = start(Optional.of(TOKEN));
        byte[] big = new byte[AlertmanagerRoute.MAX_BODY_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        assertThat(post(uri, "Bearer " + TOKEN, big).statusCode()).isEqualTo(413);
    }

    @Test
    void aBodyThatIsNoWebhookDocumentIs400() throws Exception {
        URI uri = start(Optional.of(TOKEN));
        assertThat(post(uri, "Bearer " + TOKEN, "{\"alerts\": 5}".getBytes()).statusCode()).isEqualTo(400);
        assertThat(post(uri, "Bearer " + TOKEN, "not json".getBytes()).statusCode()).isEqualTo(400);
    }

    @Test
    void aFollowerAnswers503AndClosesTheConnection() throws Exception {
        URI uri = start(Optional.of(TOKEN));
        leader.set(false);
        source.alerts().members("ns/web", List.of("i-0abc"), List.of("SipProcessDown"));
        var r = post(uri, "Bearer " + TOKEN, FiringAlertsTest.fixture("webhook-v4-firing.json", "i-0abc"));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Connection")).hasValue("close");
        assertThat(count("not_leader")).isEqualTo(1);
        assertThat(source.alerts().size()).isZero();
    }
}
