package io.autoheal.eip;

import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.ElasticIpPoolSpec;
import io.autoheal.fleet.ObservedAddress;
import io.autoheal.fleet.AddressSelector;
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

    public static boolean contains(ElasticIpPool pool, String installation, String allocationId, Map<String, String> tags) {
        return selector(pool, installation).matches(allocationId, tags);
    }

    /** The pool's rule as the inventory port reads it, for the pool of this installation. */
    public static AddressSelector selector(ElasticIpPool pool, String installation) {
        ElasticIpPoolSpec spec = pool.getSpec();
        return new AddressSelector(spec.addresses, spec.selector, pool.ownerKey(), installation);
    }

    /** What a machine's status row says when the Elastic IP it holds is not the pool's; empty otherwise. */
    public static Optional<String> outsideNote(ElasticIpPool pool, String installation, ObservedAddress eip) {
        if (eip == null || pool.getSpec() == null || contains(pool, installation, eip.allocationId(), eip.tags())) {
            return Optional.empty();
        }
        return Optional.of("holds Elastic IP " + eip.publicIp() + " (" + eip.allocationId() + ") from outside pool "
                + pool.getMetadata().getName() + ": keeps it, no pool address is assigned");
    }
}
