package io.autoheal.discovery;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What discovery published (the Service, its EndpointSlices, the members ConfigMap), as informers keep it: a pass reads
 * them from memory, not from the API server. Only objects with the autoheal.io/cluster label are cached (not every
 * Service or ConfigMap of the cluster); that label maps an object back to its HealingCluster, so a person editing or
 * deleting one (or removing the label) wakes the cluster, which puts it back.
 */
@ApplicationScoped
public class PublishedObjects {
    private volatile InformerEventSource<Service, HealingCluster> services;
    private volatile InformerEventSource<EndpointSlice, HealingCluster> slices;
    private volatile InformerEventSource<ConfigMap, HealingCluster> configMaps;

    /** The event sources the reconciler registers (JOSDK starts them, and syncs them before the first reconcile). */
    public List<EventSource<?, HealingCluster>> eventSources(EventSourceContext<HealingCluster> context) {
        services = new InformerEventSource<>(config(Service.class, "discovery-services"), context);
        slices = new InformerEventSource<>(config(EndpointSlice.class, "discovery-endpointslices"), context);
        configMaps = new InformerEventSource<>(config(ConfigMap.class, "discovery-configmaps"), context);
        return List.of(services, slices, configMaps);
    }

    private static <R extends HasMetadata> InformerEventSourceConfiguration<R> config(Class<R> type, String name) {
        return InformerEventSourceConfiguration.from(type, HealingCluster.class).withName(name)
                .withLabelSelector(DesiredObjects.CLUSTER_LABEL)
                .withSecondaryToPrimaryMapper(PublishedObjects::cluster).build();
    }

    /** The cluster an object was published for: its autoheal.io/cluster label, in its namespace. */
    static Set<ResourceID> cluster(HasMetadata o) {
        String name = o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(DesiredObjects.CLUSTER_LABEL);
        return name == null || name.isEmpty() ? Set.of() : Set.of(new ResourceID(name, o.getMetadata().getNamespace()));
    }

    Optional<Service> service(HealingCluster hc, String name) {
        return started(services).get(new ResourceID(name, hc.getMetadata().getNamespace()));
    }

    Optional<ConfigMap> configMap(HealingCluster hc, String name) {
        return started(configMaps).get(new ResourceID(name, hc.getMetadata().getNamespace()));
    }

    /** The cluster's EndpointSlices (by the labels it publishes them with). */
    List<EndpointSlice> slices(HealingCluster hc) {
        String cluster = hc.getMetadata().getName();
        return started(slices).list(hc.getMetadata().getNamespace(), s -> s.getMetadata().getLabels() != null
                && cluster.equals(s.getMetadata().getLabels().get(DesiredObjects.SERVICE_NAME_LABEL))
                && DesiredObjects.MANAGED_BY.equals(s.getMetadata().getLabels().get(DesiredObjects.MANAGED_BY_LABEL))).toList();
    }

    /**
     * Writes through the informer's cache: the next pass sees what was written even before its watch event arrives, and
     * that event (our own write) does not wake the cluster again.
     */
    Service write(Service desired, UnaryOperator<Service> write) {
        return started(services).eventFilteringUpdateAndCacheResource(desired, write);
    }

    EndpointSlice write(EndpointSlice desired, UnaryOperator<EndpointSlice> write) {
        return started(slices).eventFilteringUpdateAndCacheResource(desired, write);
    }

    ConfigMap write(ConfigMap desired, UnaryOperator<ConfigMap> write) {
        return started(configMaps).eventFilteringUpdateAndCacheResource(desired, write);
    }

    private static <R extends HasMetadata> InformerEventSource<R, HealingCluster> started(InformerEventSource<R, HealingCluster> source) {
        if (source == null) {
            throw new IllegalStateException("discovery's informers are not registered (HealingClusterReconciler.prepareEventSources)");
        }
        return source;
    }
}
