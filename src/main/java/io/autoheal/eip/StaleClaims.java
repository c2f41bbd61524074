package io.autoheal.eip;

import io.autoheal.fleet.ObservedAddress;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Pure: a pool's claim must not outlive its reason. An address that carries this pool's claim but that the pool no
 * longer lists or selects (its spec changed; or the pool is being deleted, when nothing is its any more) has a stale
 * claim: the pool removes it (DeleteTags with the claim's value, so a claim someone rewrote meanwhile stays), and
 * leaves the association alone — an address still on a machine becomes foreign to every pool (on a machine no pool
 * places), never moved. Without this, another pool listing the address would find it "claimed by" a pool that no
 * longer wants it, forever.
 */
public final class StaleClaims {
    private StaleClaims() {
    }

    /**
     * @param claimedByThisPool addresses whose claim tag is this pool's
     * @param poolAddresses     the addresses the pool lists or selects now (empty while the pool is deleted)
     * @return the allocation ids whose claim goes, sorted
     */
    public static List<String> toRelease(Collection<ObservedAddress> claimedByThisPool, Collection<ObservedAddress> poolAddresses) {
        Set<String> current = poolAddresses.stream().map(ObservedAddress::allocationId).collect(Collectors.toSet());
        return claimedByThisPool.stream().map(ObservedAddress::allocationId).filter(id -> !current.contains(id)).distinct()
                .sorted(Comparator.naturalOrder()).toList();
    }
}
