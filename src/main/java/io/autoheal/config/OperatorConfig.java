package io.autoheal.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every operator setting, in one place (application.properties, or env vars such as AUTOHEAL_REGION). */
@ConfigMapping(prefix = "autoheal")
public interface OperatorConfig {

    /** Region used when a resource does not name one. */
    @WithDefault("us-east-1")
    String region();

    /** How often every cluster and pool is re-read from AWS even when nothing changed in Kubernetes. */
    @WithDefault("30s")
    Duration resyncInterval();

    /**
     * Namespaces whose resources are reconciled (env AUTOHEAL_WATCH_NAMESPACES, comma-separated). The default,
     * JOSDK_ALL_NAMESPACES, watches all; the SDK reads the same value through quarkus.operator-sdk.namespaces.
     */
    @WithDefault("JOSDK_ALL_NAMESPACES")
    List<String> watchNamespaces();

    /**
     * The shard this operator serves (env AUTOHEAL_SHARD): only resources labelled autoheal.io/shard with this value,
     * and only Auto Scaling Groups tagged so, are read and reconciled. Unset: every resource in the watched
     * namespaces. See docs/scaling.md.
     */
    Optional<String> shard();

    /**
     * Who this operator is among the installations that share an AWS account (env AUTOHEAL_INSTALLATION_ID; Helm value
     * installationId). Tagged (autoheal.io/installation) on every group, launch template, address claim and instance
     * the operator creates or is given; resources tagged with another installation's id are never acted on. Lowercase
     * letters, digits and '-', at most 32 characters.
     */
    @WithDefault("default")
    String installationId();

    Aws aws();

    TenantPolicy tenantPolicy();

    interface TenantPolicy {
        /**
         * What a namespace no TenantPolicy applies to may do (env AUTOHEAL_TENANT_POLICY_MODE; Helm value
         * tenantPolicy.mode): open (anything, as without TenantPolicies) or enforced (nothing).
         */
        @WithDefault("open")
        io.autoheal.tenant.TenantMode mode();
    }

    Inventory inventory();

    interface Inventory {
        /**
         * Read AWS once per region for all clusters and pools (the fleet inventory). false = every cluster and pool
         * reads its own world on every pass, as before the inventory: kept only as the baseline of make bench.
         */
        @WithDefault("true")
        boolean enabled();
    }

    Notifications notifications();

    Discovery discovery();

    interface Discovery {
        /**
         * The bearer token GET /sd/targets requires (env AUTOHEAL_DISCOVERY_SD_TOKEN, from a Secret; Prometheus'
         * http_sd_configs sends it with {@code authorization: {credentials_file: ...}}). Unset: /sd/targets answers
         * 403 to everyone, unless sd-unauthenticated says otherwise (docs/monitoring.md).
         */
        Optional<String> sdToken();

        /** Serve /sd/targets without a token to anyone who reaches the port (an explicit opt-out; not recommended). */
        @WithDefault("false")
        boolean sdUnauthenticated();
    }

    Outbound outbound();

    interface Outbound {
        /**
         * The only address ranges (CIDRs) the operator may connect to for bootstrap, drain and notification requests:
         * a connection to an address outside is refused before it is attempted (reason BootstrapUrlRefused). "any"
         * (the default) sets no such limit; the sandbox and the tests set 127.0.0.0/8.
         */
        @WithDefault("any")
        List<String> allowedCidrs();
    }

    Health health();

    interface Health {
        /**
         * The only address ranges (CIDRs) application probes (spec.health.probes) may be sent to, on top of
         * autoheal.outbound.allowed-cidrs (both apply): a probe to an address outside is refused, never sent, and
         * reported on the cluster (condition ProbesRefused); it is no failure of the machine. "any" (the default)
         * sets no such limit; the sandbox and the tests set 127.0.0.0/8.
         */
        @WithDefault("any")
        List<String> probeAllowedCidrs();
    }

    Startup startup();

    Bootstrap bootstrap();

    Events events();

    interface Events {
        /**
         * SQS queue fed by the EventBridge rules of deploy/aws/event-rules.json (EC2 state changes, Spot warnings,
         * Auto Scaling lifecycle actions, Health scheduled changes). Unset: no consumer, healing relies on the resync.
         */
        Optional<String> queueUrl();
    }

    interface Bootstrap {
        /** First back-off after a failed bootstrap attempt; doubles per attempt. */
        @WithDefault("30s")
        Duration retryBackoff();

        /** Longest back-off between attempts. */
        @WithDefault("5m")
        Duration retryBackoffMax();

        /** How often a running job's status is polled. */
        @WithDefault("10s")
        Duration pollInterval();

        /** Timeout of each HTTP call to the bootstrapper. */
        @WithDefault("10s")
        Duration requestTimeout();

        /**
         * Locked-down installations: when set, bootstrap requests go only to these hosts (exact names or literal
         * addresses, or *.example.com for any subdomain). Unset: any host the other rules allow.
         */
        Optional<List<String>> allowedHosts();

        /**
         * Hosts that may resolve to loopback, link-local (instance metadata) or the API server's addresses; every
         * other host that does is refused (reason BootstrapUrlRefused). Unset in production; the sandbox names
         * its loopback bootstrappers.
         */
        Optional<List<String>> allowInternalHosts();
    }

    interface Aws {
        /** Endpoint override for every AWS service, for sandboxes (moto). Empty means the real AWS endpoints. */
        Optional<URI> endpointOverride();

        /** Per-call timeout of AWS API calls, retries included. */
        @WithDefault("20s")
        Duration apiCallTimeout();

        /** SDK retries for throttling and 5xx answers (with backoff). */
        @WithDefault("4")
        int maxAttempts();

        /** The client-side request budget shared by every AWS client of a region (io.autoheal.cloud.aws.AwsRateBudgets). */
        RateLimit rateLimit();
    }

    /** Token buckets per region: reads (Describe/Get/List) and writes; defaults well under AWS' own buckets. */
    interface RateLimit {
        /** false = no client-side budget (only the SDK's retries): for make bench's baseline, not for production. */
        @WithDefault("true")
        boolean enabled();

        /** Reads per second, sustained, for the whole region (EC2 and Auto Scaling together). */
        @WithDefault("10")
        double readsPerSecond();

        /** Reads that may go out at once after a quiet spell (the bucket's size). */
        @WithDefault("50")
        int readsBurst();

        /** Tokens of the read bucket that bulk reads leave for priority reads (those healing waits for). */
        @WithDefault("10")
        int readsReserve();

        /** Writes per second, sustained, for the whole region. */
        @WithDefault("5")
        double writesPerSecond();

        /** Writes that may go out at once. */
        @WithDefault("20")
        int writesBurst();

        /** Longest wait of one request attempt for a token; then it fails (like a throttle) and the reconcile backs off. */
        @WithDefault("10s")
        Duration maxWait();
    }

    Alertmanager alertmanager();

    /** The Alertmanager webhook receiver (POST /alertmanager) that feeds spec.health.alerts (docs/monitoring.md). */
    interface Alertmanager {
        /**
         * Bearer token Alertmanager must send (env AUTOHEAL_ALERTMANAGER_TOKEN, from a Secret in the Helm chart). Unset:
         * the endpoint refuses every request (403), so no alert can make a machine unhealthy.
         */
        Optional<String> token();

        /**
         * A firing alert Alertmanager has not re-sent for this long is forgotten (Alertmanager exposes no end time of
         * a firing alert and re-sends it every repeat_interval: keep repeat_interval well below this).
         */
        @WithDefault("15m")
        Duration firingTtl();
    }

    interface Notifications {
        /** Secret (namespace/name) holding key 'url': a Slack-compatible incoming webhook for EIP-pool exhaustion. */
        Optional<String> webhookSecret();
    }

    interface Startup {
        /** Fail at start-up, with one clear line, when the API server or AWS does not answer within this time. */
        @WithDefault("4s")
        Duration connectTimeout();

        /** Skip the start-up connectivity checks (only for tests that start the operator on purpose without peers). */
        @WithDefault("true")
        boolean checkConnectivity();
    }
}
