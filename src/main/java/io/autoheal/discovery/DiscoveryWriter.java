package io.autoheal.discovery;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes discovery's objects only where they differ from what the API server holds, as the informers of
 * {@link PublishedObjects} show it (a cluster at rest costs no reads and no writes), by server-side apply so fields others
 * set are kept. Never touches an object of that name that the cluster does not own: the informers see only labelled
 * objects, so before creating one it confirms with a GET that no unlabelled one of that name exists.
 */
@ApplicationScoped
public class DiscoveryWriter {
    static final String FIELD_MANAGER = "autoheal-operator";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final KubernetesClient client;
    private final PublishedObjects published;

    public DiscoveryWriter(KubernetesClient client, PublishedObjects published) {
        this.client = client;
        this.published = published;
    }

    /** An object of our name that another owner holds: we leave it alone and say so. */
    public static final class NotOwnedException extends RuntimeException {
        NotOwnedException(HasMetadata existing) {
            super(existing.getKind() + " " + existing.getMetadata().getName() + " exists and is not owned by this HealingCluster: "
                    + "discovery leaves it alone (rename or delete it)");
        }
    }

    /** @return whether it wrote */
    public boolean service(HealingCluster hc, Service desired) {
        Service existing = published.service(hc, desired.getMetadata().getName())
                .orElseGet(() -> client.services().inNamespace(ns(hc)).withName(desired.getMetadata().getName()).get());
        if (existing != null) {
            requireOwned(hc, existing);
            if (ours(existing, desired) && same(existing.getSpec().getPorts(), desired.getSpec().getPorts())
                    && (existing.getSpec().getSelector() == null || existing.getSpec().getSelector().isEmpty())) {
                return false;
            }
        }
        published.write(desired, this::apply);
        return true;
    }

    /** @return how many slices it wrote or deleted */
    public int slices(HealingCluster hc, List<EndpointSlice> desired) {
        Map<String, EndpointSlice> existing = published.slices(hc).stream()
                .filter(s -> ownedBy(hc, s)).collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s));
        int writes = 0;
        for (EndpointSlice want : desired) {
            EndpointSlice have = existing.remove(want.getMetadata().getName());
            if (have == null || !ours(have, want) || !Objects.equals(have.getAddressType(), want.getAddressType())
                    || !same(have.getPorts(), want.getPorts()) || !same(have.getEndpoints(), want.getEndpoints())) {
                published.write(want, this::apply);
                writes++;
            }
        }
        for (EndpointSlice extra : existing.values()) {
            client.resource(extra).delete();
            writes++;
        }
        return writes;
    }

    /** @param existing the ConfigMap of that name as read before, null if none. @return whether it wrote */
    public boolean configMap(HealingCluster hc, ConfigMap desired, ConfigMap existing) {
        if (existing == null) {
            existing = client.configMaps().inNamespace(ns(hc)).withName(desired.getMetadata().getName()).get(); // unlabelled?
        }
        if (existing != null) {
            requireOwned(hc, existing);
            if (ours(existing, desired) && Objects.equals(existing.getData(), desired.getData())) {
                return false;
            }
        }
        published.write(desired, this::apply);
        return true;
    }

    /** The published ConfigMap of that name, as the informer holds it (one we own carries our label). */
    public Optional<ConfigMap> existingConfigMap(HealingCluster hc, String name) {
        return published.configMap(hc, name);
    }

    /** membersConfigMap turned off: the ConfigMap goes, if it is the cluster's. */
    public void removeConfigMap(HealingCluster hc, String name) {
        existingConfigMap(hc, name).filter(c -> ownedBy(hc, c)).ifPresent(c -> client.resource(c).delete());
    }

    /** Removes what discovery published for the cluster (spec.discovery was removed); only objects it owns. */
    public void remove(HealingCluster hc) {
        String name = hc.getMetadata().getName();
        published.service(hc, name).filter(s -> ownedBy(hc, s)).ifPresent(s -> client.resource(s).delete());
        published.slices(hc).stream().filter(s -> ownedBy(hc, s)).forEach(s -> client.resource(s).delete());
        removeConfigMap(hc, DesiredObjects.membersConfigMapName(hc));
    }

    private <R extends HasMetadata> R apply(R desired) {
        return client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }

    private static void requireOwned(HealingCluster hc, HasMetadata existing) {
        if (!ownedBy(hc, existing)) {
            throw new NotOwnedException(existing);
        }
    }

    static boolean ownedBy(HealingCluster hc, HasMetadata o) {
        return o.getMetadata().getOwnerReferences() != null && o.getMetadata().getOwnerReferences().stream()
                .anyMatch(r -> Objects.equals(r.getUid(), hc.getMetadata().getUid()) && Boolean.TRUE.equals(r.getController()));
    }

    /** Our labels are there (others may add their own). */
    private static boolean ours(HasMetadata existing, HasMetadata desired) {
        Map<String, String> labels = existing.getMetadata().getLabels() == null ? Map.of() : existing.getMetadata().getLabels();
        Set<Map.Entry<String, String>> want = desired.getMetadata().getLabels().entrySet();
        return labels.entrySet().containsAll(want);
    }

    /** Compared as the JSON that would be sent: what the API server holds round-trips to equal trees. */
    private static boolean same(Object existing, Object desired) {
        return JSON.valueToTree(existing == null ? List.of() : existing).equals(JSON.valueToTree(desired == null ? List.of() : desired));
    }

    private static String ns(HealingCluster hc) {
        return hc.getMetadata().getNamespace();
    }
}
