package io.autoheal.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.RemediationRecord;
import io.autoheal.cluster.healing.JournalRecords;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a cluster's replacement records (status.recentRemediations) to the API server <em>before</em> the
 * terminate calls they describe: the hourly cap counts them, so a status write that fails after a termination
 * must not be able to forget one. If this write fails, nothing is terminated in this pass (the exception ends it).
 * <p>
 * An append, never a rewrite from a cache: the write carries the resourceVersion of the copy its list was built from
 * (a precondition; the API server answers 409 Conflict when the object changed since), and on a conflict the journal
 * reads the object again and appends to what is stored now. A record another writer added in between is kept.
 */
@ApplicationScoped
public class RemediationJournal {
    /** Conflicts in a row before the pass gives up (and terminates nothing). */
    static final int MAX_ATTEMPTS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final KubernetesClient client;

    public RemediationJournal(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Appends {@code added} to the stored records (pruned to the last hour, a machine recorded once), moves {@code hc}'s
     * resourceVersion to the one this write produced, so the pass's own status patch at its end (optimistically locked)
     * does not conflict with the journal's write, and returns the records as stored: the hour the cap must count.
     */
    public List<RemediationRecord> append(HealingCluster hc, List<RemediationRecord> added, Instant now) {
        HealingCluster basis = hc.getMetadata().getResourceVersion() == null ? read(hc) : hc;
        for (int attempt = 1; ; attempt++) {
            List<RemediationRecord> records = JournalRecords.append(basis.getStatus() == null ? null : basis.getStatus().recentRemediations,
                    added, now);
            try {
                HealingCluster written = resource(hc).subresource("status")
                        .patch(PatchContext.of(PatchType.JSON_MERGE), patch(basis.getMetadata().getResourceVersion(), records));
                if (written != null && written.getMetadata() != null) {
                    hc.getMetadata().setResourceVersion(written.getMetadata().getResourceVersion());
                }
                if (hc.getStatus() != null) {
                    hc.getStatus().recentRemediations = new ArrayList<>(records); // an error status written after this pass keeps them too
                }
                return records;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                Log.debugf("remediation journal of %s: the object changed since resourceVersion %s, reading it again (attempt %d)",
                        hc.ownerKey(), basis.getMetadata().getResourceVersion(), attempt);
                basis = read(hc);
            }
        }
    }

    private HealingCluster read(HealingCluster hc) {
        HealingCluster fresh = resource(hc).get();
        if (fresh == null) {
            throw new KubernetesClientException("HealingCluster " + hc.ownerKey() + " is gone: its journal cannot be written");
        }
        return fresh;
    }

    private Resource<HealingCluster> resource(HealingCluster hc) {
        return client.resources(HealingCluster.class).inNamespace(hc.getMetadata().getNamespace()).withName(hc.getMetadata().getName());
    }

    /** A merge patch whose metadata.resourceVersion is the API server's precondition (409 when the object moved on). */
    static String patch(String resourceVersion, List<RemediationRecord> records) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("metadata", Map.of("resourceVersion", resourceVersion));
        body.put("status", Map.of("recentRemediations", records));
        try {
            return JSON.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise remediation records", e);
        }
    }
}
