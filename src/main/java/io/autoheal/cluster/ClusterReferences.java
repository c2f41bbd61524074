package io.autoheal.cluster;

import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.bootstrap.BootstrapUrlGuard;
import io.autoheal.kube.Reason;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Looks up the Kubernetes objects a cluster refers to; a missing one becomes a condition, not a crash, and degrades
 * only what needs it: a pool problem costs the cluster its addresses, a bootstrap problem its bootstraps. Healing goes on.
 */
@ApplicationScoped
public class ClusterReferences {
    private final KubernetesClient client;
    private final BootstrapUrlGuard urls;

    public ClusterReferences(KubernetesClient client, BootstrapUrlGuard urls) {
        this.client = client;
        this.urls = urls;
    }

    /** A reference that cannot be resolved, with the reason to report. */
    public record Problem(Reason reason, String message) {
    }

    /**
     * The referenced objects and what is wrong with them, per dependent: {@code poolProblem} (spec.elasticIps: no
     * addresses) and {@code bootstrapProblem} (spec.bootstrap: no bootstrap runs; a new group is not created).
     */
    public record Resolved(Optional<ElasticIpPool> pool, Optional<Problem> poolProblem, Optional<Problem> bootstrapProblem) {
        /** Nothing referred to, nothing wrong. */
        public static Resolved none() {
            return new Resolved(Optional.empty(), Optional.empty(), Optional.empty());
        }

        /**
         * Why a group that does not exist yet is not created: its machines could never be bootstrapped, or its pool is
         * served by another shard's operator (one cluster must not be half served by two). An existing group heals.
         */
        public Optional<Problem> creationProblem() {
            return poolProblem.filter(p -> p.reason() == Reason.ShardMismatch).or(() -> bootstrapProblem);
        }

        /** The problems to report, the pool's first. */
        public java.util.List<Problem> problems() {
            return java.util.stream.Stream.of(poolProblem, bootstrapProblem).flatMap(Optional::stream).toList();
        }
    }

    /**
     * @param pool the pool named in spec.elasticIps, from the reconciler's informer cache (no GET per pass); empty
     *             when the spec names none or it does not exist
     */
    public Resolved resolve(HealingCluster hc, Optional<ElasticIpPool> pool) {
        Optional<ElasticIpPool> named = hc.getSpec().elasticIps == null ? Optional.empty() : pool
                .filter(p -> p.getMetadata().getName().equals(hc.getSpec().elasticIps.poolRef));
        return new Resolved(named, checkPool(hc, named.orElse(null)), checkBootstrap(hc));
    }

    private Optional<Problem> checkPool(HealingCluster hc, ElasticIpPool pool) {
        String ns = hc.getMetadata().getNamespace();
        var spec = hc.getSpec();
        if (spec.elasticIps != null) {
            if (pool == null) {
                return Optional.of(new Problem(Reason.PoolNotFound,
                        "ElasticIpPool " + ns + "/" + spec.elasticIps.poolRef + " named in spec.elasticIps.poolRef does not exist"));
            }
            if (!Shards.same(hc, pool)) {
                return Optional.of(new Problem(Reason.ShardMismatch, "ElasticIpPool " + ns + "/" + spec.elasticIps.poolRef + " is in "
                        + Shards.describe(pool) + " and this cluster in " + Shards.describe(hc) + ": a pool and its clusters must be"
                        + " served by one operator — give both the same " + io.autoheal.fleet.Tags.SHARD + " label"));
            }
            if (pool.getSpec().allowedClusters != null && !pool.getSpec().allowedClusters.contains(hc.getMetadata().getName())) {
                return Optional.of(new Problem(Reason.NotInAllowedClusters,
                        "ElasticIpPool " + ns + "/" + spec.elasticIps.poolRef + " does not list " + hc.getMetadata().getName()
                                + " in spec.allowedClusters " + pool.getSpec().allowedClusters
                                + ": add it there, or point spec.elasticIps.poolRef at another pool"));
            }
        }
        return Optional.empty();
    }

    private Optional<Problem> checkBootstrap(HealingCluster hc) {
        String ns = hc.getMetadata().getNamespace();
        var spec = hc.getSpec();
        Optional<String> invalid = HealingClusterValidator.validateBootstrap(spec.bootstrap);
        if (invalid.isPresent()) {
            return Optional.of(new Problem(Reason.InvalidSpec, invalid.get()));
        }
        if (spec.bootstrap != null && spec.bootstrap.http != null && spec.bootstrap.http.credentialsSecretRef != null) {
            String name = spec.bootstrap.http.credentialsSecretRef.name;
            Secret secret;
            try {
                secret = client.secrets().inNamespace(ns).withName(name).get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 403) {
                    throw e; // transient: JOSDK retries with back-off
                }
                // RBAC, not a bug: the deployment grants Secrets per namespace (deploy/base/rbac-bootstrap-credentials.yaml).
                return Optional.of(new Problem(Reason.SecretForbidden, "The operator may not read Secret " + ns + "/" + name
                        + " (spec.bootstrap.http.credentialsSecretRef): bind ClusterRole autoheal-operator-bootstrap-credentials"
                        + " to its ServiceAccount with a RoleBinding in namespace " + ns
                        + " (deploy/examples/bootstrap-credentials-rolebinding.yaml)"));
            }
            if (secret == null) {
                return Optional.of(new Problem(Reason.SecretNotFound,
                        "Secret " + ns + "/" + name + " named in spec.bootstrap.http.credentialsSecretRef does not exist"));
            }
        }
        // Tenant safety: a URL the operator will not call (loopback, metadata service, API server, not allow-listed).
        Optional<String> refused = urls.refusal(spec);
        if (refused.isPresent()) {
            return Optional.of(new Problem(Reason.BootstrapUrlRefused, refused.get()));
        }
        return Optional.empty();
    }
}
