package io.autoheal.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoheal.config.Leadership;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;

/**
 * GET /sd/targets on the operator's HTTP port: Prometheus http_sd_configs. Query parameters namespace, cluster (filters)
 * and port (a number or a port name of spec.discovery.ports; default spec.discovery.metricsPort). Only a caller with the
 * bearer token answers ({@link SdAccess}: 401 without one, 403 with a wrong one or when none is configured). Only the
 * leader answers (the members are what its reconciles published); a follower answers 503.
 */
@ApplicationScoped
public class SdRoute {
    public static final String PATH = "/sd/targets";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SdRegistry registry;
    private final SdAccess access;

    public SdRoute(SdRegistry registry, io.autoheal.config.OperatorConfig config) {
        this.registry = registry;
        this.access = new SdAccess(config.discovery().sdToken(), config.discovery().sdUnauthenticated());
    }

    void register(@Observes Router router) {
        router.get(PATH).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        SdAccess.Decision decision = access.decide(ctx.request().getHeader("Authorization"));
        if (!decision.allowed()) {
            if (decision.status() == 401) {
                ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"autoheal-sd\"");
            }
            ctx.response().setStatusCode(decision.status()).putHeader("Content-Type", "text/plain").end(decision.message() + "\n");
            return;
        }
        if (!Leadership.mayAct()) {
            // A follower reconciles nothing, so it knows no members: an error makes Prometheus keep the targets it has,
            // where an empty list would drop them every time the Service routes a refresh here.
            ctx.response().setStatusCode(503).putHeader("Content-Type", "text/plain")
                    .end("this replica is not the leader: it knows no members\n");
            return;
        }
        SdTargets.Query query;
        try {
            query = new SdTargets.Query(param(ctx, "namespace"), param(ctx, "cluster"), param(ctx, "port"));
        } catch (IllegalArgumentException e) {
            ctx.response().setStatusCode(400).putHeader("Content-Type", "text/plain").end(e.getMessage() + "\n");
            return;
        }
        try {
            ctx.response().putHeader("Content-Type", "application/json")
                    .end(JSON.writeValueAsString(SdTargets.groups(registry.all(), query)));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }

    private static Optional<String> param(RoutingContext ctx, String name) {
        List<String> values = ctx.queryParam(name);
        return values.isEmpty() || values.get(0).isBlank() ? Optional.empty() : Optional.of(values.get(0));
    }
}
