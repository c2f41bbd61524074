package io.autoheal.health;

import io.autoheal.cluster.ClusterWakeups;
import io.autoheal.config.Leadership;
import io.autoheal.config.OperatorConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * POST /alertmanager on the operator's HTTP port: Alertmanager's webhook receiver (version 4 JSON) for
 * spec.health.alerts. Without a configured token (autoheal.alertmanager.token) it refuses every request (403); a
 * missing or wrong bearer token is 401, a body over {@value #MAX_BODY_BYTES} bytes 413, a body that is not a webhook
 * document 400. Only the leader heals, so only the leader takes alerts: a follower answers 503 and closes the
 * connection, and Alertmanager's retry opens a new one (which the Service may route to the leader).
 */
@ApplicationScoped
public class AlertmanagerRoute {
    public static final String PATH = "/alertmanager";
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final Logger LOG = Logger.getLogger(AlertmanagerRoute.class);
    private final AlertHealthSource source;
    private final ClusterWakeups wakeups;
    private final Clock clock;
    private final Optional<byte[]> token;
    private final BooleanSupplier leader;
    private final AlertmanagerMetrics metrics;

    @Inject
    public AlertmanagerRoute(AlertHealthSource source, ClusterWakeups wakeups, Clock clock, OperatorConfig config,
                             io.micrometer.core.instrument.MeterRegistry registry) {
        this(source, wakeups, clock, config.alertmanager().token(), Leadership::mayAct, registry);
    }

    /** @param leader whether this replica heals now (the leader, or no leader election) */
    public AlertmanagerRoute(AlertHealthSource source, ClusterWakeups wakeups, Clock clock, Optional<String> token, BooleanSupplier leader,
                             io.micrometer.core.instrument.MeterRegistry registry) {
        this.metrics = new AlertmanagerMetrics(registry, source.alerts());
        this.source = source;
        this.wakeups = wakeups;
        this.clock = clock;
        this.token = token.map(String::strip).filter(t -> !t.isEmpty()).map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.leader = leader;
    }

    public void register(@Observes Router router) {
        router.post(PATH).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES)).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        if (token.isEmpty()) {
            metrics.count("disabled");
            plain(ctx, 403, "the Alertmanager webhook is off: set autoheal.alertmanager.token (docs/monitoring.md)");
            return;
        }
        if (!authorized(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            metrics.count("unauthorized");
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            plain(ctx, 401, "missing or wrong bearer token");
            return;
        }
        if (!leader.getAsBoolean()) {
            metrics.count("not_leader");
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            plain(ctx, 503, "this replica is not the leader: Alertmanager retries on another connection");
            return;
        }
        AlertmanagerPayload payload;
        try {
            payload = AlertmanagerPayload.parse(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (IOException | RuntimeException e) {
            metrics.count("bad_request");
            plain(ctx, 400, "not an Alertmanager webhook body (version 4 JSON)");
            return;
        }
        var changed = source.alerts().receive(payload, clock.instant());
        changed.forEach(wakeups::wake);
        metrics.count("accepted");
        LOG.debugf("Alertmanager webhook: %d alerts, clusters woken: %s", payload.alerts().size(), changed);
        plain(ctx, 200, "ok");
    }

    /** Constant-time comparison: the answer's timing tells nothing about the token. */
    boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token.orElseThrow());
    }

    private static void plain(RoutingContext ctx, int status, String text) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain").end(text + "\n");
    }
}
