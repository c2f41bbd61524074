package io.autoheal.health;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.fleet.ClusterObservation;
import io.autoheal.kube.Conditions;
import java.time.Instant;
import java.util.List;

/**
 * What a health source that does its own I/O (the prober) learns from the reconciler and tells the cluster's status:
 * which machines each pass saw and judged (no AWS call of its own), and the cluster conditions only it can judge.
 */
public interface HealthWatch {

    /** After a pass: the cluster's machines as observed, and their rows in the new status (verdicts, in service or not). */
    void seen(HealingCluster cluster, ClusterObservation observed, List<InstanceStatus> rows, Instant now);

    /** The cluster is gone. */
    void forget(HealingCluster cluster);

    /** Sets this watch's conditions on the pass's conditions (none when the cluster does not use it). */
    void conditions(HealingCluster cluster, Conditions conditions);
}
