package io.autoheal.tenant;

import io.autoheal.api.v1alpha1.TenantPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@link TenantIdentities} of the cluster's TenantPolicies, read through one informer (no API call per pass, except
 * a namespace's labels while some policy selects namespaces by label). Until the informer has listed the policies,
 * every namespace's identity is unknown (its resources wait): acting with the operator's own identity before then could
 * cross a tenant's boundary. Without the TenantPolicy CRD (an installation that never applied it) there are no
 * policies, and every namespace acts with the operator's identity, as before TenantPolicies existed.
 */
@ApplicationScoped
public class TenantPolicyIdentities implements TenantIdentities {
    private final KubernetesClient client;
    private volatile SharedIndexInformer<TenantPolicy> informer;
    private volatile boolean noCrd;
    private volatile java.util.concurrent.CompletableFuture<Void> listed = java.util.concurrent.CompletableFuture.completedFuture(null);
    /** How long a pass waits for the first list (once, after start-up) before its namespace's identity counts as unknown. */
    static final java.time.Duration FIRST_LIST_WAIT = java.time.Duration.ofSeconds(10);

    public TenantPolicyIdentities(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<String> roleArn(String namespace) {
        if (noCrd) {
            return Optional.empty();
        }
        SharedIndexInformer<TenantPolicy> i = started();
        if (i != null && !i.hasSynced()) {
            awaitFirstList(); // right after start-up: not every cluster's first pass should report an unknown identity
        }
        if (noCrd) {
            return Optional.empty();
        }
        if (i == null || !i.hasSynced()) {
            throw new TenantIdentityUnknown("the TenantPolicies are not read yet (list/watch tenantpolicies.autoheal.io):"
                    + " namespace " + namespace + " waits rather than act with the operator's own AWS identity");
        }
        return roleOf(i.getStore().list(), namespace, this::labels);
    }

    /**
     * The role of the one policy that applies to the namespace (by name, or by label); empty with no policy or a policy
     * without aws.roleArn. Several policies: unknown (admission refuses the overlap; the reconciler says
     * NotAllowedByTenantPolicy). Pure but for the labels, asked only when a policy selects by label.
     */
    static Optional<String> roleOf(Collection<TenantPolicy> policies, String namespace, Function<String, Map<String, String>> labels) {
        boolean byLabel = policies.stream().anyMatch(p -> p.getSpec() != null && p.getSpec().namespaceSelector != null);
        List<TenantPolicy> applying = ApplicablePolicy.of(policies.stream().filter(p -> p.getSpec() != null).toList(), namespace,
                byLabel ? labels.apply(namespace) : Map.of()).policies(); // the one matching rule, as admission and TenantGate
        if (applying.size() > 1) {
            throw new TenantIdentityUnknown("several TenantPolicies apply to namespace " + namespace + " ("
                    + String.join(", ", applying.stream().map(p -> p.getMetadata().getName()).sorted().toList()) + "): none is used");
        }
        return applying.stream().findFirst().map(p -> p.getSpec().aws == null ? null : p.getSpec().aws.roleArn)
                .filter(r -> !r.isBlank());
    }

    private Map<String, String> labels(String namespace) {
        var ns = client.namespaces().withName(namespace).get();
        return ns == null || ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels();
    }

    private SharedIndexInformer<TenantPolicy> started() {
        SharedIndexInformer<TenantPolicy> i = informer;
        if (i != null) {
            return i;
        }
        synchronized (this) {
            if (informer == null && !noCrd) {
                try {
                    SharedIndexInformer<TenantPolicy> created = client.resources(TenantPolicy.class).runnableInformer(0);
                    listed = created.start().toCompletableFuture().exceptionally(e -> {
                        if (notFound(e)) {
                            noCrd = true;
                            Log.info("no TenantPolicy CRD: every namespace acts with the operator's own AWS identity");
                        } else {
                            Log.warnf("the TenantPolicy informer failed: %s", e.getMessage());
                        }
                        return null;
                    });
                    informer = created;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 404) {
                        throw new TenantIdentityUnknown("cannot read the TenantPolicies: " + e.getMessage());
                    }
                    noCrd = true;
                }
            }
            return informer;
        }
    }

    private void awaitFirstList() {
        try {
            listed.get(FIRST_LIST_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // said by the caller: the identity stays unknown
        }
    }

    private static boolean notFound(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof KubernetesClientException k && k.getCode() == 404) {
                return true;
            }
        }
        return false;
    }

    @PreDestroy
    void stop() {
        if (informer != null) {
            informer.stop();
        }
    }
}
