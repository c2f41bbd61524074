package io.autoheal.fleet;

/**
 * Port: Elastic IP writes. Association never moves an address that is in use (AWS' AllowReassociation=false): a
 * taken address is refused with the error code {@link #ALREADY_ASSOCIATED}.
 */
public interface AddressWrites {
    String ALREADY_ASSOCIATED = "Resource.AlreadyAssociated";
    /** Disassociating an association that is gone. */
    String ASSOCIATION_GONE = "InvalidAssociationID.NotFound";

    /**
     * Allocates one address tagged, in the same call, with its pool, the installation and the pool's claim (so it is
     * claimed from birth); returns its allocation id.
     */
    String allocate(AwsScope scope, String poolKey, String installation, String claim);

    /**
     * Claims the address for a pool: writes the claim tag unless one is there, then reads the tag back. The first
     * claimant wins: true only when the tag read back is {@code claim}. Safe to repeat.
     */
    boolean claim(AwsScope scope, String allocationId, String claim);

    /** Removes the claim tag if (and only if) it is {@code claim} (DeleteTags with the value: conditional). */
    void unclaim(AwsScope scope, String allocationId, String claim);

    /**
     * Hands an address over with its orphaned machine: marks it orphaned from {@code orphanedFrom} first, then removes
     * the claim if it is {@code claim}. The association is left alone.
     */
    void orphan(AwsScope scope, String allocationId, String claim, String orphanedFrom);

    /** Tags the assignment (instance, cluster) and associates; refused when the address is already associated. */
    void associate(AwsScope scope, String allocationId, String instanceId, String clusterKey);

    /** After a refused association: drops our assignment tags unless someone re-tagged since. */
    void forgetAssignment(AwsScope scope, String allocationId, String instanceId);

    void disassociate(AwsScope scope, String associationId);

    void release(AwsScope scope, String allocationId);
}
