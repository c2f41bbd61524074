package io.autoheal.fleet;

import io.autoheal.api.v1alpha1.InlineMachine;
import io.autoheal.api.v1alpha1.LaunchTemplateRef;
import java.util.Map;

/** Port: the launch template a cluster's group uses, referenced or owned by the operator. */
public interface LaunchTemplateResolver {
    /** The launch template id and version the ASG should use. */
    record Resolved(String id, String version, boolean owned) {
    }

    /** A template with our name exists but carries another owner's tag (or none): never touched, reported. */
    class NotOwnedException extends RuntimeException {
        public NotOwnedException(String message) {
            super(message);
        }
    }

    Resolved resolveReference(AwsScope scope, LaunchTemplateRef ref);

    /**
     * The owned template at the inline spec's version, created or versioned when needed.
     *
     * @param incarnation the cluster object's uid (a cluster created again under the same name gets a new template)
     * @throws NotOwnedException when a template of that name carries another owner's tag
     */
    Resolved ensureOwned(AwsScope scope, String name, String clusterKey, String incarnation, InlineMachine machine,
                         Map<String, String> instanceTags);

    /** Deletes the operator-owned template if it exists and carries our tag; repeating it is harmless. */
    void deleteOwned(AwsScope scope, String name, String clusterKey);

    /**
     * Orphaning ({@link OrphanMarks}): when the owned template exists and carries this cluster's tag, marks it
     * {@value Tags#ORPHANED_FROM}={@code orphanedFrom} and removes the cluster tag, so that a cluster created again under
     * the same name never versions or deletes the orphaned group's template. Safe to repeat.
     */
    void disownOwned(AwsScope scope, String name, String clusterKey, String orphanedFrom);

    /** A pass hit a launch template error (deleted by hand, not found): resolve this region's templates anew. */
    void forget(AwsScope scope);
}
