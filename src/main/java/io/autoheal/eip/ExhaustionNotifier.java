package io.autoheal.eip;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoheal.bootstrap.BootstrapUrlGuard;
import io.autoheal.config.OperatorConfig;
import io.autoheal.metrics.PoolMetrics;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Tells the infra team when a pool runs dry and when it recovers, through a Slack-compatible incoming webhook
 * (JSON {"text": ...}). Called once per episode edge (the Exhausted condition's transition). A failing webhook
 * is logged and counted, and never fails or blocks reconciliation. The URL is a secret: it is never logged.
 */
@ApplicationScoped
public class ExhaustionNotifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OperatorConfig config;
    private final KubernetesClient client;
    private final PoolMetrics metrics;
    private final BootstrapUrlGuard guard;
    /** The answer is read within the same limits as a bootstrapper's (64 KiB, 5 s): an endless body ends the call. */
    private final io.autoheal.bootstrap.PinnedHttp http = new io.autoheal.bootstrap.PinnedHttp(null, Duration.ofSeconds(3),
            Duration.ofSeconds(5), io.autoheal.bootstrap.BoundedBody.LIMIT);

    /** For stand-ins that override {@link #notify} and never send (the fast tier, benches). */
    protected ExhaustionNotifier(OperatorConfig config, KubernetesClient client, PoolMetrics metrics) {
        this(config, client, metrics, null);
    }

    @jakarta.inject.Inject
    public ExhaustionNotifier(OperatorConfig config, KubernetesClient client, PoolMetrics metrics, BootstrapUrlGuard guard) {
        this.guard = guard;
        this.config = config;
        this.client = client;
        this.metrics = metrics;
    }

    public void notify(String namespace, String pool, String text) {
        Optional<String> ref = config.notifications().webhookSecret().filter(r -> !r.isBlank());
        if (ref.isEmpty()) {
            return; // no webhook configured
        }
        Optional<String> url = webhookUrl(ref.get());
        if (url.isEmpty()) {
            // configured but unusable: counted, so a broken notification setup shows on the dashboard
            metrics.notification(namespace, pool, "failed");
            return;
        }
        try {
            URI uri = URI.create(url.get());
            // The same outbound rules as a bootstrapper's URL (metadata service, API server, allowed CIDRs), before any
            // connection; the connection goes to an address just checked (no second lookup)
            var addresses = guard.checkedAddresses(uri);
            byte[] body = JSON.writeValueAsBytes(Map.of("text", text));
            var response = http.exchange(new io.autoheal.bootstrap.PinnedHttp.Request("POST", uri, Map.of("Content-Type", "application/json"),
                    body), addresses, () -> { });
            if (response.code() / 100 == 2) {
                metrics.notification(namespace, pool, "sent");
            } else {
                metrics.notification(namespace, pool, "failed");
                Log.warnf("exhaustion webhook for pool %s/%s answered HTTP %d", namespace, pool, response.code());
            }
        } catch (BootstrapUrlGuard.Refused e) {
            metrics.notification(namespace, pool, "refused");
            Log.warnf("exhaustion webhook for pool %s/%s not sent: %s", namespace, pool, e.stop().failure());
        } catch (java.io.IOException | IllegalArgumentException e) {
            metrics.notification(namespace, pool, "failed");
            Log.warnf("exhaustion webhook for pool %s/%s failed: %s", namespace, pool, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            metrics.notification(namespace, pool, "failed");
        }
    }

    private Optional<String> webhookUrl(String ref) {
        if (!ref.contains("/")) {
            Log.warnf("autoheal.notifications.webhook-secret must be namespace/name, got %s", ref);
            return Optional.empty();
        }
        String[] parts = ref.split("/", 2);
        Secret secret;
        try {
            secret = client.secrets().inNamespace(parts[0]).withName(parts[1]).get();
        } catch (KubernetesClientException e) {
            // A notification must never fail the pool's reconcile; the Exhausted condition and Event carry the news.
            Log.warnf("cannot read notification Secret %s: HTTP %d %s", ref, e.getCode(), e.getStatus() == null ? "" : e.getStatus().getReason());
            return Optional.empty();
        }
        if (secret == null || secret.getData() == null || !secret.getData().containsKey("url")) {
            Log.warnf("notification Secret %s is missing or has no key 'url'", ref);
            return Optional.empty();
        }
        return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get("url")), StandardCharsets.UTF_8).trim());
    }
}
