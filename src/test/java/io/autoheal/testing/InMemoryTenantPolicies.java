package io.autoheal.testing;

import io.autoheal.api.v1alpha1.TenantPolicy;
import io.autoheal.tenant.TenantPolicySource;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The fast tier's TenantPolicies and namespace labels: what a test puts here is what the informers would hold. */
public final class InMemoryTenantPolicies implements TenantPolicySource {
    public final List<TenantPolicy> policies = new CopyOnWriteArrayList<>();
    public final Map<String, Map<String, String>> labels = new ConcurrentHashMap<>();

    @Override
    public Collection<TenantPolicy> policies() {
        return List.copyOf(policies);
    }

    @Override
    public Map<String, String> namespaceLabels(String namespace) {
        return labels.getOrDefault(namespace, Map.of());
    }
}
