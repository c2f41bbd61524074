package io.autoheal.bootstrap;

import io.autoheal.api.v1alpha1.BootstrapSpec;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.fleet.WriteFence;
import io.autoheal.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runner of a cluster's spec.bootstrap: a Kubernetes Job runner, or an HTTP runner built from the spec and
 * its credentials Secret. HTTP runners are kept per cluster while their configuration stays the same, so each
 * pass reuses one runner (and its TLS context) instead of building a new one.
 */
@ApplicationScoped
public class BootstrapRunners {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private final OperatorConfig config;
    private final KubernetesClient client;
    private final JobLauncher jobs;
    private final BootstrapUrlGuard urlGuard;
    private final Map<String, HttpBootstrapRunner> httpRunners = new ConcurrentHashMap<>();
    private final Map<String, HttpBootstrapConfig> httpConfigs = new ConcurrentHashMap<>();

    private final WriteFence fence;

    /** Without a fence (the fast tier's stubs): every trigger goes out. */
    public BootstrapRunners(OperatorConfig config, KubernetesClient client, JobLauncher jobs, BootstrapUrlGuard urlGuard) {
        this(config, client, jobs, urlGuard, null);
    }

    @jakarta.inject.Inject
    public BootstrapRunners(OperatorConfig config, KubernetesClient client, JobLauncher jobs, BootstrapUrlGuard urlGuard, WriteFence fence) {
        this.fence = fence;
        this.config = config;
        this.urlGuard = urlGuard;
        this.client = client;
        this.jobs = jobs;
    }

    /**
     * Never throws for a Secret: a missing or unreadable credentials Secret gives a runner that answers every call with
     * that failure (the machine's row and the Bootstrapped condition say so), and healing goes on.
     */
    public BootstrapRunner forCluster(HealingCluster hc) {
        BootstrapSpec spec = hc.getSpec().bootstrap;
        if (spec.job != null) {
            return fenced("bootstrap", jobs.runnerFor(hc));
        }
        try {
            return fenced("bootstrap", forConfig(hc.ownerKey(), httpConfig(hc, spec.http, "spec.bootstrap.http.credentialsSecretRef")));
        } catch (SecretProblem p) {
            return p.runner();
        }
    }

    /** The runner of spec.drain (the same kinds as bootstrap; its HTTP runner is kept apart from the bootstrap's). */
    public BootstrapRunner forDrain(HealingCluster hc) {
        var spec = hc.getSpec().drain;
        if (spec.job != null) {
            return fenced("drain", jobs.drainRunnerFor(hc));
        }
        try {
            return fenced("drain", forConfig(hc.ownerKey() + "#drain", httpConfig(hc, spec.http, "spec.drain.http.credentialsSecretRef")));
        } catch (SecretProblem p) {
            return p.runner();
        }
    }

    /** A trigger starts work on a machine: it asks the {@link WriteFence} first; following a job (status) does not. */
    private BootstrapRunner fenced(String port, BootstrapRunner runner) {
        if (fence == null) {
            return runner;
        }
        return new BootstrapRunner() {
            @Override
            public TriggerResult trigger(BootstrapRequest request) {
                fence.check(port, port + " trigger");
                return runner.trigger(request);
            }

            @Override
            public JobStatus status(String jobId, String host) {
                return runner.status(jobId, host);
            }

            @Override
            public String endpoint() {
                return runner.endpoint();
            }
        };
    }

    /** A credentials Secret the operator cannot use; its runner answers every call with the failure, sending nothing. */
    static final class SecretProblem extends RuntimeException {
        private final BootstrapFailure failure;

        SecretProblem(BootstrapFailure failure, String message) {
            super(message, null, false, false);
            this.failure = failure;
        }

        BootstrapRunner runner() {
            TriggerResult refused = TriggerResult.failed(failure, getMessage());
            return new BootstrapRunner() {
                @Override
                public TriggerResult trigger(BootstrapRequest request) {
                    return refused;
                }

                @Override
                public JobStatus status(String jobId, String host) {
                    return JobStatus.unknown(failure, getMessage());
                }

                @Override
                public String endpoint() {
                    return "secret-problem";
                }
            };
        }
    }

    private HttpBootstrapConfig httpConfig(HealingCluster hc, io.autoheal.api.v1alpha1.HttpBootstrapSpec spec, String field) {
        Map<String, String> secret = secretData(hc, spec.credentialsSecretRef, field);
        Duration requestTimeout = config.bootstrap().requestTimeout();
        return new HttpBootstrapConfig(URI.create(spec.url), spec.statusUrl, Credentials.fromSecret(secret),
                CONNECT_TIMEOUT.compareTo(requestTimeout) < 0 ? CONNECT_TIMEOUT : requestTimeout, requestTimeout,
                Optional.ofNullable(secret.get("ca.crt")));
    }

    /** Forgets a deleted cluster's runner. */
    public void forget(HealingCluster hc) {
        httpRunners.remove(hc.ownerKey());
        httpConfigs.remove(hc.ownerKey());
        httpRunners.remove(hc.ownerKey() + "#drain");
        httpConfigs.remove(hc.ownerKey() + "#drain");
    }

    private synchronized HttpBootstrapRunner forConfig(String cluster, HttpBootstrapConfig http) {
        if (!http.equals(httpConfigs.get(cluster))) {
            httpConfigs.put(cluster, http);
            httpRunners.put(cluster, new HttpBootstrapRunner(http, urlGuard));
        }
        return httpRunners.get(cluster);
    }

    private Map<String, String> secretData(HealingCluster hc, io.autoheal.api.v1alpha1.SecretRef ref, String field) {
        if (ref == null) {
            return Map.of();
        }
        String ns = hc.getMetadata().getNamespace();
        Secret secret;
        try {
            secret = client.secrets().inNamespace(ns).withName(ref.name).get();
        } catch (KubernetesClientException e) {
            throw new SecretProblem(BootstrapFailure.SecretForbidden, e.getCode() == 403
                    ? "the operator may not read Secret " + ns + "/" + ref.name + " (" + field + "): bind ClusterRole"
                    + " autoheal-operator-bootstrap-credentials to its ServiceAccount in namespace " + ns
                    : "Secret " + ns + "/" + ref.name + " (" + field + ") could not be read (HTTP " + e.getCode() + ")");
        }
        if (secret == null) {
            throw new SecretProblem(BootstrapFailure.SecretMissing, "Secret " + ns + "/" + ref.name + " named in " + field + " does not exist");
        }
        Map<String, String> out = new HashMap<>();
        if (secret != null && secret.getData() != null) {
            secret.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (secret != null && secret.getStringData() != null) {
            out.putAll(secret.getStringData());
        }
        return out;
    }
}
