package io.autoheal.eip;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.cloud.ObservedAddress;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.Instance;

/** What one pool pass sees: the pool's addresses, the clusters on the pool and all their instances. */
public record PoolObservation(List<ObservedAddress> addresses, List<HealingCluster> clusters, List<Instance> instances) {
}
