package io.autoheal.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.RemediationRecord;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * Writes a cluster's replacement records (status.recentRemediations) to the API server <em>before</em> the
 * terminate calls they describe: the hourly cap counts them, so a status write that fails after a termination
 * must not be able to forget one. If this write fails, nothing is terminated in this pass (the exception ends it).
 */
@ApplicationScoped
public class RemediationJournal {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final KubernetesClient client;

    public RemediationJournal(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Replaces status.recentRemediations with {@code records} (a JSON merge patch of the status subresource), and
     * moves {@code hc}'s resourceVersion to the one this write produced, so the pass's own status patch at its end
     * (optimistically locked) does not conflict with the journal's write.
     */
    public void record(HealingCluster hc, List<RemediationRecord> records) {
        String patch;
        try {
            patch = JSON.writeValueAsString(Map.of("status", Map.of("recentRemediations", records)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise remediation records", e);
        }
        HealingCluster written = client.resources(HealingCluster.class).inNamespace(hc.getMetadata().getNamespace())
                .withName(hc.getMetadata().getName()).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        if (written != null && written.getMetadata() != null) {
            hc.getMetadata().setResourceVersion(written.getMetadata().getResourceVersion());
        }
        if (hc.getStatus() != null) {
            hc.getStatus().recentRemediations = records; // an error status written after this pass keeps them too
        }
    }
}
