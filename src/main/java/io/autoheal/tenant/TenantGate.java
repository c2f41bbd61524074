package io.autoheal.tenant;

import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.config.OperatorConfig;
import io.autoheal.fleet.ObservedAddress;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The reconcilers' check before any AWS write: the TenantPolicy of the resource's namespace as it is now (it may have
 * changed since admission), and the installation's mode when there is none. Decided from the source's snapshot
 * ({@link TenantVerdict#decide(TenantMode, TenantSnapshot, String, java.util.function.Function)}): never a read, never a throw.
 */
@ApplicationScoped
public class TenantGate {
    private final TenantPolicySource source;
    private final TenantMode mode;

    @jakarta.inject.Inject
    public TenantGate(TenantPolicySource source, OperatorConfig config) {
        this(source, config.tenantPolicy().mode());
    }

    public TenantGate(TenantPolicySource source, TenantMode mode) {
        this.source = source;
        this.mode = mode;
    }

    public TenantVerdict cluster(HealingCluster hc) {
        return TenantVerdict.decide(mode, source.snapshot(), hc.getMetadata().getNamespace(), allow -> ClusterAllowCheck.check(hc.getSpec(), allow));
    }

    /** @param observed the addresses the pool sees (a listed address's tags are read from them) */
    public TenantVerdict pool(ElasticIpPool pool, List<ObservedAddress> observed) {
        Map<String, Map<String, String>> tags = observed.stream()
                .collect(Collectors.toMap(ObservedAddress::allocationId, ObservedAddress::tags, (a, b) -> a));
        return TenantVerdict.decide(mode, source.snapshot(), pool.getMetadata().getNamespace(),
                allow -> PoolAllowCheck.check(pool.getSpec(), allow, tags));
    }

    /** A wait when the policies are not read (before a pass reads AWS with its namespace's identity), else ALLOWED. */
    public TenantVerdict readable(String namespace) {
        TenantSnapshot snapshot = source.snapshot();
        return snapshot.state() == TenantSnapshot.State.SYNCING ? TenantVerdict.decide(mode, snapshot, namespace, allow -> List.of())
                : TenantVerdict.ALLOWED;
    }
}
