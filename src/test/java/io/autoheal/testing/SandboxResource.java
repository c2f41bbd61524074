package io.autoheal.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points the in-process operator at the sandbox: the real kube-apiserver (with server-side apply, as in
 * production) and moto. Applies the committed CRDs from crds/ before the operator starts.
 */
public class SandboxResource implements QuarkusTestResourceLifecycleManager {
    /** Secret (namespace/name, key url) the in-process operator reads the exhaustion webhook from. */
    public static final String WEBHOOK_SECRET = "default/autoheal-test-webhook";
    /** The bearer token of POST /alertmanager in sandbox tests. */
    public static final String ALERTMANAGER_TOKEN = "sandbox-alertmanager-token";
    /** The one loopback host the test operator may send bootstrap requests to (127.0.0.2 stays refused). */
    public static final String ALLOWED_LOOPBACK = "127.0.0.1";
    /** autoheal.outbound.allowed-cidrs of every test operator (the %test profile sets it for in-process ones). */
    public static final String OUTBOUND_CIDRS = "127.0.0.0/8";
    /** autoheal.health.probe-allowed-cidrs of every test operator: probes only to loopback (moto's Elastic IPs). */
    public static final String PROBE_CIDRS = "127.0.0.0/8";

    @Override
    public Map<String, String> start() {
        Map<String, String> env = Sandbox.env();
        // The AWS SDK's default credential chain reads these: the operator itself never takes credentials from config.
        System.setProperty("aws.accessKeyId", env.getOrDefault("AWS_ACCESS_KEY_ID", "testing"));
        System.setProperty("aws.secretAccessKey", env.getOrDefault("AWS_SECRET_ACCESS_KEY", "testing"));
        System.setProperty("kubeconfig", env.get("KUBECONFIG"));
        Kubectl.run("apply", "--server-side", "--force-conflicts", "-f", Sandbox.root().resolve("crds").toString());
        Kubectl.awaitCrdsEstablished();
        // Every suite runs with the tenant-safety admission policy, as a production cluster does (admin may do all).
        Kubectl.run("apply", "-f", Sandbox.root().resolve(TenantSafetyPolicy.FILE).toString());
        // ... and the TenantPolicy admission (open mode: without TenantPolicies for a namespace, nothing changes there).
        Kubectl.run("apply", "-f", Sandbox.root().resolve("deploy/base/tenant-policy-admission.yaml").toString());
        return Map.of(
                "autoheal.bootstrap.retry-backoff", "1s",
                "autoheal.bootstrap.poll-interval", "1s",
                "autoheal.aws.endpoint-override", env.get("AWS_ENDPOINT_URL"),
                "autoheal.region", env.getOrDefault("AWS_REGION", "us-east-1"),
                "autoheal.resync-interval", "2s",
                // POST /alertmanager is refused without a token: the sandbox's (AlertWebhookTest, make run)
                "autoheal.alertmanager.token", ALERTMANAGER_TOKEN,
                "autoheal.notifications.webhook-secret", WEBHOOK_SECRET,
                // the test bootstrappers listen on loopback, which production refuses (BootstrapHostPolicy)
                "autoheal.bootstrap.allow-internal-hosts", ALLOWED_LOOPBACK,
                // the sandbox's event queue (sandbox/up.sh): the in-process operator consumes it as `make run` does
                "autoheal.events.queue-url", env.getOrDefault("AUTOHEAL_EVENTS_QUEUE_URL", ""));
    }

    @Override
    public void stop() {
        // The sandbox outlives the test run on purpose: the next run reuses it (make sandbox-down stops it).
    }
}
