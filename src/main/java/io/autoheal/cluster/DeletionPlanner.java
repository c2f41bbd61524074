package io.autoheal.cluster;

import io.autoheal.api.v1alpha1.DeletionPolicy;
import io.autoheal.fleet.ObservedAsg;
import java.util.Optional;

/**
 * Pure: what deleting a HealingCluster does next to its group, one step per pass (the finalizer stays until the
 * group is gone). A Delete drains: the group is scaled to zero, so every machine leaves through the operator's
 * terminating hook (drained first when spec.drain is set, its address freed by the pool after it left), and only
 * the empty group is deleted — without force. Force (every machine at once, no hook, no drain) only when the
 * cluster carries the annotation {@value #FORCE_ANNOTATION}: "true".
 */
public final class DeletionPlanner {
    public static final String FORCE_ANNOTATION = "autoheal.io/force-delete";

    private DeletionPlanner() {
    }

    public enum Step {
        /** The group is gone (or never was): the owned launch template goes, then the finalizer. */
        GONE,
        /** The group is not this cluster's or not this installation's: left alone, the finalizer goes. */
        NOT_OURS,
        /** deletionPolicy Orphan: hand the group back as a plain ASG (ClusterDeleter.orphan), the finalizer goes. */
        ORPHAN,
        /** AWS is deleting the group already: look again. */
        WAIT_DELETING,
        /** The annotation asked for it: DeleteAutoScalingGroup ForceDelete, every machine at once. */
        FORCE_DELETE,
        /** Min and desired capacity to 0: every machine leaves through the terminating hook. */
        SCALE_TO_ZERO,
        /** Machines are still leaving (waiting at the hook while they drain, or terminating): drain, look again. */
        DRAIN,
        /** The group is empty: DeleteAutoScalingGroup without force. */
        DELETE_EMPTY
    }

    /** @param left machines still in the group (any lifecycle state) */
    public record Plan(Step step, int left) {
    }

    /**
     * The deletion policy in effect: the declared one; unset, Orphan for an adopted group (spec.autoScalingGroupName:
     * the operator was given it, it does not destroy it unless asked) and Delete for a group the operator created.
     */
    public static DeletionPolicy effective(DeletionPolicy declared, boolean adopted) {
        if (declared != null) {
            return declared;
        }
        return adopted ? DeletionPolicy.Orphan : DeletionPolicy.Delete;
    }

    /** Whether the cluster's annotations ask for a force delete (exactly "true"). */
    public static boolean forced(java.util.Map<String, String> annotations) {
        return annotations != null && "true".equals(annotations.get(FORCE_ANNOTATION));
    }

    /**
     * @param group the group as it is now
     * @param ours  it carries this cluster's tag and this installation's
     */
    public static Plan plan(DeletionPolicy policy, Optional<ObservedAsg> group, boolean ours, boolean force) {
        if (group.isEmpty()) {
            return new Plan(Step.GONE, 0);
        }
        ObservedAsg g = group.get();
        int left = g.members().size();
        if (!ours) {
            return new Plan(Step.NOT_OURS, left);
        }
        if (policy == DeletionPolicy.Orphan) {
            return new Plan(Step.ORPHAN, left);
        }
        if (g.deleting()) {
            return new Plan(Step.WAIT_DELETING, left);
        }
        if (force) {
            return new Plan(Step.FORCE_DELETE, left);
        }
        if (g.min() > 0 || g.desired() > 0) {
            return new Plan(Step.SCALE_TO_ZERO, left);
        }
        return new Plan(left > 0 ? Step.DRAIN : Step.DELETE_EMPTY, left);
    }
}
