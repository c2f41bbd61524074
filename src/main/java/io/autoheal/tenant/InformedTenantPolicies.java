package io.autoheal.tenant;

import io.autoheal.api.v1alpha1.TenantPolicy;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;

/**
 * TenantPolicies and Namespaces from two informers (one LIST each at start, then watches): no read per pass. Started on
 * first use, and {@code inform()} returns only once synced, so a pass never decides on a half-filled cache; if the start
 * fails (e.g. the RBAC of deploy/base/rbac-tenant-policies.yaml is missing) the pass fails and acts on nothing.
 */
@ApplicationScoped
public class InformedTenantPolicies implements TenantPolicySource {
    private final KubernetesClient kube;
    private volatile SharedIndexInformer<TenantPolicy> policies;
    private volatile SharedIndexInformer<Namespace> namespaces;

    public InformedTenantPolicies(KubernetesClient kube) {
        this.kube = kube;
    }

    @Override
    public Collection<TenantPolicy> policies() {
        start();
        return policies.getStore().list();
    }

    @Override
    public Map<String, String> namespaceLabels(String namespace) {
        start();
        Namespace ns = namespaces.getStore().getByKey(namespace);
        return ns == null || ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels();
    }

    private synchronized void start() {
        if (policies == null) {
            policies = kube.resources(TenantPolicy.class).inform();
        }
        if (namespaces == null) {
            namespaces = kube.namespaces().inform();
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (policies != null) {
            policies.close();
        }
        if (namespaces != null) {
            namespaces.close();
        }
    }
}
