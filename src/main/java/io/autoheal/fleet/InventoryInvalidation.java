package io.autoheal.fleet;

import java.util.Optional;

/**
 * Port: what an event from the cloud tells the inventory. The event names instances and a group; the inventory says
 * whose cluster they belong to and reads them again on the next pass. Nothing here calls the cloud.
 */
public interface InventoryInvalidation {
    /** The scopes (region and identity) the inventory holds: where an event of an account and region may be placed. */
    java.util.Set<AwsScope> scopes();

    /** The cluster (autoheal.io/cluster tag) of an instance the inventory knows. */
    Optional<String> clusterOfInstance(AwsScope scope, String instanceId);

    /** The cluster (autoheal.io/cluster tag) of one of our groups; empty for a group the inventory does not know. */
    Optional<String> clusterOfGroup(AwsScope scope, String asgName);

    /** Whether the region's groups have been read at least once: before that, an instance it does not know may be ours. */
    boolean synced(AwsScope scope);

    /** The instance changed: its group is read on its own next. */
    void instanceChanged(AwsScope scope, String instanceId);

    /** The group changed: it is read on its own next. */
    void groupChanged(AwsScope scope, String asgName);
}
