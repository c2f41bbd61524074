package io.autoheal.eip;

import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.ElasticIpPoolSpec;
import io.autoheal.cloud.ObservedAddress;
import io.autoheal.cloud.Tags;
import java.util.Map;
import java.util.Optional;

/**
 * Whether an Elastic IP is one of a pool's, by the rule {@link PoolObserver} reads a pool with: the listed allocation
 * ids, else every selector tag, else our pool tag. The cluster's status rows use it to say that a machine holds an
 * Elastic IP from outside its pool (and so gets none of the pool's).
 */
public final class PoolMembership {
    private PoolMembership() {
    }

    public static boolean contains(ElasticIpPool pool, String allocationId, Map<String, String> tags) {
        ElasticIpPoolSpec spec = pool.getSpec();
        if (spec.addresses != null) {
            return spec.addresses.contains(allocationId);
        }
        if (spec.selector != null) {
            return spec.selector.entrySet().stream().allMatch(e -> e.getValue().equals(tags.get(e.getKey())));
        }
        return pool.ownerKey().equals(tags.get(Tags.POOL));
    }

    /** What a machine's status row says when the Elastic IP it holds is not the pool's; empty otherwise. */
    public static Optional<String> outsideNote(ElasticIpPool pool, ObservedAddress eip) {
        if (eip == null || pool.getSpec() == null || contains(pool, eip.allocationId(), eip.tags())) {
            return Optional.empty();
        }
        return Optional.of("holds Elastic IP " + eip.publicIp() + " (" + eip.allocationId() + ") from outside pool "
                + pool.getMetadata().getName() + ": keeps it, no pool address is assigned");
    }
}
