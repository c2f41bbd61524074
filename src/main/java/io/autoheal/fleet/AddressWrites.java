package io.autoheal.fleet;

/**
 * Port: Elastic IP writes. Association never moves an address that is in use (AWS' AllowReassociation=false): a
 * taken address is refused with the error code {@link #ALREADY_ASSOCIATED}.
 */
public interface AddressWrites {
    String ALREADY_ASSOCIATED = "Resource.AlreadyAssociated";
    /** Disassociating an association that is gone. */
    String ASSOCIATION_GONE = "InvalidAssociationID.NotFound";

    /** Allocates one address tagged with its pool; returns its allocation id. */
    String allocate(String region, String poolKey);

    /** Tags the assignment (instance, cluster) and associates; refused when the address is already associated. */
    void associate(String region, String allocationId, String instanceId, String clusterKey);

    /** After a refused association: drops our assignment tags unless someone re-tagged since. */
    void forgetAssignment(String region, String allocationId, String instanceId);

    void disassociate(String region, String associationId);

    void release(String region, String allocationId);
}
