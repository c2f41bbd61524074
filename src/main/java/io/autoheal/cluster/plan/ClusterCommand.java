package io.autoheal.cluster.plan;

import io.autoheal.api.v1alpha1.RemediationRecord;
import io.autoheal.cluster.healing.Verdict;
import java.util.List;

/** One step of a {@link ClusterPlan}, carried out by the executor through the fleet ports. Messages are the Events'. */
public sealed interface ClusterCommand {

    /** Write status.recentRemediations (intent first: if this write fails, the pass ends before any termination). */
    /** Records to append to the journal (the stored list is re-read on conflict: see RemediationJournal), before any terminate. */
    record Journal(List<RemediationRecord> added, java.time.Instant now) implements ClusterCommand {
    }

    /** Terminate without lowering desired capacity: the group launches a successor. */
    record Replace(String instanceId, Verdict.Reason reason, String message) implements ClusterCommand {
    }

    /** Raise the group's desired capacity (a surge). */
    record SetCapacity(int desired, String message) implements ClusterCommand {
    }

    /** Terminate with desired capacity lowered: the operator chooses who leaves. */
    record Remove(String instanceId, Removal removal, Verdict.Reason reason, String message) implements ClusterCommand {
    }

    /** A machine left without the operator: say so. */
    record Announce(String instanceId, String message) implements ClusterCommand {
    }

    /** Why a machine leaves with desired capacity lowered (its Event and whether it counts as a replacement). */
    enum Removal {
        /** Its successor, surged for it, is in service (an advised machine at spec.capacity.min). */
        SURGE_REPLACED,
        /** It failed (a surged or new-version machine that never became healthy): a replacement like any other. */
        FAILED,
        /** A rollout's old-version machine whose successor is in service. */
        ROLLED,
        /** Plain scale-in: not a replacement. */
        SCALED_IN
    }
}
