package io.autoheal.testing;

import io.autoheal.api.v1alpha1.TenantPolicy;
import io.autoheal.tenant.TenantPolicySource;
import io.autoheal.tenant.TenantSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The fast tier's TenantPolicies and namespace labels: what a test puts here is what the informers would hold. The
 * reader's state is {@link #state} (SYNCED unless a test says the CRD is missing or the policies are not read yet).
 */
public final class InMemoryTenantPolicies implements TenantPolicySource {
    public final List<TenantPolicy> policies = new CopyOnWriteArrayList<>();
    public final Map<String, Map<String, String>> labels = new ConcurrentHashMap<>();
    public volatile TenantSnapshot.State state = TenantSnapshot.State.SYNCED;
    /** Since when the reader is in {@link #state} (a wait is said once it lasts). */
    public volatile Instant since = Instant.EPOCH;

    @Override
    public TenantSnapshot snapshot() {
        return switch (state) {
            case NO_CRD -> TenantSnapshot.noCrd(since);
            case SYNCING -> TenantSnapshot.syncing(since, "403 forbidden (in-memory)");
            case SYNCED -> TenantSnapshot.synced(List.copyOf(policies), Map.copyOf(labels), since);
        };
    }
}
