package io.autoheal.fleet;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Port: what the reconcilers read about the fleet (the AWS adapter serves it from its inventory snapshot). */
public interface InventoryReads {
    /**
     * One cluster's group and instances.
     *
     * @param gated the cluster gates launches with {@link LaunchGate}: its hooks must be kept current
     */
    ClusterObservation observeCluster(AwsScope scope, String asgName, boolean gated);

    /** The group as it is now (a direct read, not a snapshot): deletion and orphaning act on it. */
    Optional<ObservedAsg> describeGroup(AwsScope scope, String asgName, boolean withLaunchHooks);

    /**
     * Names of the groups tagged as this cluster's ({@code autoheal.io/cluster}) that belong to this installation, as
     * the region's inventory knows them: how a cluster whose status lost its group's name finds it again.
     */
    List<String> groupsOf(AwsScope scope, String clusterKey, String installation);

    /** The addresses a pool's membership rule selects, in any order. */
    List<ObservedAddress> addresses(AwsScope scope, AddressSelector selector);

    /** Instances of these clusters (by their autoheal.io/cluster tag) in any state. */
    List<FleetInstance> clusterInstances(AwsScope scope, Collection<String> clusterKeys);
}
