package io.autoheal.eip;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.fleet.ObservedAddress;
import io.autoheal.fleet.FleetInstance;
import java.util.List;

/** What one pool pass sees: the pool's addresses, the clusters on the pool and all their instances. */
public record PoolObservation(List<ObservedAddress> addresses, List<HealingCluster> clusters, List<FleetInstance> instances) {
}
