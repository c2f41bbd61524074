package io.autoheal.discovery;

import io.autoheal.api.v1alpha1.DiscoveryTemplate;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Reads a cluster's template from its ConfigMap (same namespace), each pass: an edited template renders on the next one. */
@ApplicationScoped
public class TemplateSource {
    private final KubernetesClient client;

    public TemplateSource(KubernetesClient client) {
        this.client = client;
    }

    /** The template text; empty when the ConfigMap or the key is missing. */
    public Optional<String> read(HealingCluster hc, DiscoveryTemplate ref) {
        ConfigMap cm = client.configMaps().inNamespace(hc.getMetadata().getNamespace()).withName(ref.configMapName).get();
        return cm == null || cm.getData() == null ? Optional.empty() : Optional.ofNullable(cm.getData().get(ref.key));
    }
}
