package io.autoheal.eip;

import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.ElasticIpPoolSpec;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.cloud.ObservedAddress;
import io.autoheal.cloud.Tags;
import io.autoheal.cloud.aws.AddressGateway;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.ec2.model.Instance;

/** Reads a pool's world: one DescribeAddresses for the pool, one DescribeInstances for all its clusters. */
@ApplicationScoped
public class PoolObserver {
    private final AddressGateway gateway;
    private final KubernetesClient client;

    public PoolObserver(AddressGateway gateway, KubernetesClient client) {
        this.gateway = gateway;
        this.client = client;
    }

    /** The pool's addresses: the listed ids, else every selector tag, else our pool tag (as {@link PoolMembership}). */
    public List<ObservedAddress> addresses(ElasticIpPool pool, String region) {
        ElasticIpPoolSpec spec = pool.getSpec();
        List<ObservedAddress> found;
        if (spec.addresses != null) {
            found = gateway.byAllocationIds(region, new LinkedHashSet<>(spec.addresses));
        } else if (spec.selector != null) {
            found = gateway.byTags(region, spec.selector);
        } else {
            found = gateway.byTags(region, Map.of(Tags.POOL, pool.ownerKey()));
        }
        return found.stream().sorted(Comparator.comparing(ObservedAddress::allocationId)).toList();
    }

    /** HealingClusters of the pool's namespace that name it and are allowed on it, in the pool's region. */
    public List<HealingCluster> clusters(ElasticIpPool pool, String region, String defaultRegion) {
        String ns = pool.getMetadata().getNamespace();
        List<String> allowed = pool.getSpec().allowedClusters;
        return client.resources(HealingCluster.class).inNamespace(ns).list().getItems().stream()
                .filter(hc -> hc.getSpec() != null && hc.getSpec().elasticIps != null)
                .filter(hc -> pool.getMetadata().getName().equals(hc.getSpec().elasticIps.poolRef))
                .filter(hc -> allowed == null || allowed.contains(hc.getMetadata().getName()))
                .filter(hc -> region.equals(Objects.requireNonNullElse(hc.getSpec().region, defaultRegion)))
                .sorted(Comparator.comparing(hc -> hc.getMetadata().getName()))
                .toList();
    }

    public List<Instance> instances(String region, List<HealingCluster> clusters) {
        return gateway.clusterInstances(region, clusters.stream().map(HealingCluster::ownerKey).toList());
    }
}
