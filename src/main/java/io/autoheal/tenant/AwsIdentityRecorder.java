package io.autoheal.tenant;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoheal.api.v1alpha1.AwsIdentityStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.HttpURLConnection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes a resource's status.awsIdentity to the API server <em>before</em> the AWS writes it is the record of (intent
 * before an irreversible action): if this write fails, the pass makes no AWS write (the exception ends it).
 * <p>
 * The write carries the resourceVersion of the copy the decision was made on (a precondition): a cache that is behind
 * must not overwrite an identity recorded meanwhile. On a conflict the object is read again and its stored identity
 * returned, for the caller to decide again.
 */
@ApplicationScoped
public class AwsIdentityRecorder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final KubernetesClient client;

    public AwsIdentityRecorder(KubernetesClient client) {
        this.client = client;
    }

    /** What a write did: written, or refused because the object changed (then {@code stored} is what it holds now). */
    public record Written(boolean written, AwsIdentityStatus stored) {
    }

    /**
     * Writes {@code identity} and moves {@code resource}'s resourceVersion to the one the write (or the re-read) produced,
     * so the pass's own status patch at its end does not conflict with it.
     */
    public <T extends HasMetadata> Written write(T resource, AwsIdentityStatus identity, Function<T, AwsIdentityStatus> storedOf) {
        try {
            HasMetadata written = resource(resource).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch(resource.getMetadata().getResourceVersion(), identity));
            if (written != null && written.getMetadata() != null) {
                resource.getMetadata().setResourceVersion(written.getMetadata().getResourceVersion());
            }
            return new Written(true, identity);
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            T fresh = resource(resource).get();
            if (fresh == null) {
                throw new KubernetesClientException(resource.getKind() + " " + resource.getMetadata().getName() + " is gone");
            }
            resource.getMetadata().setResourceVersion(fresh.getMetadata().getResourceVersion());
            return new Written(false, storedOf.apply(fresh));
        }
    }

    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> Resource<T> resource(T resource) {
        return client.resources((Class<T>) resource.getClass()).inNamespace(resource.getMetadata().getNamespace())
                .withName(resource.getMetadata().getName());
    }

    /** A merge patch of status.awsIdentity (an absent account removed), resourceVersion as the precondition when known. */
    static String patch(String resourceVersion, AwsIdentityStatus identity) {
        Map<String, Object> id = new LinkedHashMap<>();
        id.put("role", identity.role);
        id.put("account", identity.account); // null: removed (a move to the operator's own identity)
        Map<String, Object> body = new LinkedHashMap<>();
        if (resourceVersion != null) {
            body.put("metadata", Map.of("resourceVersion", resourceVersion));
        }
        body.put("status", Map.of("awsIdentity", id));
        try {
            return JSON.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the AWS identity", e);
        }
    }
}
