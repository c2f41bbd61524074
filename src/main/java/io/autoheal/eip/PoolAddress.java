package io.autoheal.eip;

import java.util.Objects;

/**
 * One address of the pool as AWS reports it, with the assignment tags the operator writes when it associates it
 * ({@code autoheal.io/cluster}, {@code autoheal.io/instance}); the tags stay after a disassociation, which is how
 * a replacement finds its predecessor's address after a restart.
 *
 * @param associatedInstanceId      instance the address is associated with, null if none
 * @param associationId             null if the address is not associated with anything
 * @param associatedWithNonInstance associated with something that is not an instance (NAT gateway, bare ENI)
 * @param lastCluster               {@code <namespace>/<name>} from our tag, null if never tagged
 * @param lastInstance              instance id from our tag, null if never tagged
 * @param claim                     whose the address is by its claim tags ({@link PoolClaim#read})
 * @param claimant                  who claimed it, for a foreign address's report ({@link PoolClaim#claimant}); null if unknown
 */
public record PoolAddress(String allocationId, String publicIp, String associatedInstanceId, String associationId,
                          boolean associatedWithNonInstance, String lastCluster, String lastInstance,
                          AddressOwnership.Claim claim, String claimant) {

    public PoolAddress {
        Objects.requireNonNull(allocationId, "allocationId");
        Objects.requireNonNull(claim, "claim");
    }

    /** An address this pool has claimed (the allocator's tables, which are about placement rather than claims). */
    public PoolAddress(String allocationId, String publicIp, String associatedInstanceId, String associationId,
                       boolean associatedWithNonInstance, String lastCluster, String lastInstance) {
        this(allocationId, publicIp, associatedInstanceId, associationId, associatedWithNonInstance, lastCluster, lastInstance,
                AddressOwnership.Claim.THIS_POOL, null);
    }

    public boolean associated() {
        return associationId != null || associatedInstanceId != null || associatedWithNonInstance;
    }

    /**
     * Every VPC association has an id; one without (EC2-Classic style, or an odd answer) can be neither told apart
     * nor undone by us, so it is treated as foreign rather than failing the whole pool.
     */
    public boolean undoable() {
        return associationId != null;
    }

    /** Our own tag says we associated it with exactly the instance that holds it now. */
    public boolean taggedForItsInstance() {
        return associatedInstanceId != null && associatedInstanceId.equals(lastInstance);
    }
}
