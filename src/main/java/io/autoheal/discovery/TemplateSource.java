package io.autoheal.discovery;

import io.autoheal.api.v1alpha1.DiscoveryTemplate;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A cluster's template, from a watch of its ConfigMap (same namespace): no read per pass, and an edited template wakes
 * the clusters that use it, which re-render. One watch per template ConfigMap in use (a field selector on its name), not
 * an informer over every ConfigMap of the cluster, and no label asked of the user; a watch stops when no cluster uses it.
 */
@ApplicationScoped
public class TemplateSource {
    private final KubernetesClient client;
    private final SimpleInboundEventSource<HealingCluster> wakeups = new SimpleInboundEventSource<>("discovery-templates");
    private final Map<ResourceID, SharedIndexInformer<ConfigMap>> watches = new HashMap<>();
    /** cluster → the template ConfigMap it uses */
    private final Map<ResourceID, ResourceID> uses = new HashMap<>();

    public TemplateSource(KubernetesClient client) {
        this.client = client;
    }

    /** Registered by the reconciler: wakes a cluster whose template changed. */
    SimpleInboundEventSource<HealingCluster> eventSource() {
        return wakeups;
    }

    /** The template text; empty when the ConfigMap or the key is missing. */
    public Optional<String> read(HealingCluster hc, DiscoveryTemplate ref) {
        ResourceID template = new ResourceID(ref.configMapName, hc.getMetadata().getNamespace());
        ConfigMap cm = use(ResourceID.fromResource(hc), template).getStore().getByKey(template.getNamespace().orElseThrow() + "/" + ref.configMapName);
        return cm == null || cm.getData() == null ? Optional.empty() : Optional.ofNullable(cm.getData().get(ref.key));
    }

    /** The cluster uses no template (any more): its watch stops when no other cluster uses that ConfigMap. */
    public synchronized void forget(HealingCluster hc) {
        ResourceID template = uses.remove(ResourceID.fromResource(hc));
        if (template != null) {
            release(template);
        }
    }

    /** How many template ConfigMaps are watched (for tests). */
    synchronized int watched() {
        return watches.size();
    }

    private synchronized SharedIndexInformer<ConfigMap> use(ResourceID cluster, ResourceID template) {
        ResourceID before = uses.put(cluster, template);
        if (before != null && !before.equals(template)) {
            release(before);
        }
        // inform() returns once the ConfigMap (or its absence) is listed: the first read already sees it.
        return watches.computeIfAbsent(template, t -> client.configMaps().inNamespace(t.getNamespace().orElseThrow())
                .withName(t.getName()).inform(new Wake(t)));
    }

    private void release(ResourceID template) {
        if (!uses.containsValue(template)) {
            SharedIndexInformer<ConfigMap> watch = watches.remove(template);
            if (watch != null) {
                watch.stop();
            }
        }
    }

    private synchronized void wake(ResourceID template) {
        if (wakeups.isRunning()) {
            uses.forEach((cluster, t) -> {
                if (t.equals(template)) {
                    wakeups.propagateEvent(cluster);
                }
            });
        }
    }

    /** Any change of the template ConfigMap (created, edited, deleted) wakes its clusters. */
    private final class Wake implements ResourceEventHandler<ConfigMap> {
        private final ResourceID template;

        Wake(ResourceID template) {
            this.template = template;
        }

        @Override
        public void onAdd(ConfigMap cm) {
            wake(template);
        }

        @Override
        public void onUpdate(ConfigMap before, ConfigMap after) {
            if (!before.getMetadata().getResourceVersion().equals(after.getMetadata().getResourceVersion())) {
                wake(template);
            }
        }

        @Override
        public void onDelete(ConfigMap cm, boolean unknownFinalState) {
            wake(template);
        }
    }
}
