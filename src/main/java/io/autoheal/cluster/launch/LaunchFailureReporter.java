package io.autoheal.cluster.launch;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterStatus;
import io.autoheal.fleet.ClusterObservation;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import io.autoheal.metrics.LaunchMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Says why a group's launches fail: the {@code LaunchFailing} condition with AWS's own message (its Warning Event, once
 * per distinct cause, follows from the condition's change in cluster.ConditionEvents), and {@code autoheal_launch_failures_total{reason}} once per failed activity.
 */
@ApplicationScoped
public class LaunchFailureReporter {
    static final String ACTION = "LaunchInstances";
    private final EventRecorder events;
    private static final java.util.List<String> LABELS = java.util.Arrays.stream(LaunchFailureReason.values())
            .map(LaunchFailureReason::label).toList();
    private final LaunchMetrics metrics;
    /**
     * The mark of each cluster (by uid) as counted by this process: a status write that fails after counting must not
     * make the next pass count the same failures again.
     */
    private final java.util.Map<String, Instant> counted = new java.util.concurrent.ConcurrentHashMap<>();

    public LaunchFailureReporter(EventRecorder events, LaunchMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
    }

    public void report(HealingCluster hc, HealingClusterStatus previous, HealingClusterStatus status, ClusterObservation observed,
                       Conditions conditions) {
        String uid = String.valueOf(hc.getMetadata().getUid());
        Optional<Instant> mark = latest(mark(previous.launchFailuresCountedThrough), Optional.ofNullable(counted.get(uid)));
        LaunchFailures.Verdict verdict = LaunchFailures.decide(observed.activities(), mark);
        metrics.known(hc, LABELS);
        verdict.newlyFailed().forEach(f -> metrics.launchFailed(hc, f.reason().label()));
        verdict.countedThrough().ifPresent(t -> counted.put(uid, t));
        status.launchFailuresCountedThrough = verdict.countedThrough().map(Instant::toString).orElse(null);
        if (verdict.failing().isEmpty()) {
            conditions.set(ConditionType.LaunchFailing, false, Reason.LaunchesSucceeding, "");
            return;
        }
        LaunchFailures.Failure f = verdict.failing().get();
        // its Warning Event (once per distinct cause) comes from the condition's change: cluster.ConditionEvents
        conditions.set(ConditionType.LaunchFailing, true, reason(f.reason()), f.message());
    }

    static Reason reason(LaunchFailureReason r) {
        return r == LaunchFailureReason.Other ? Reason.LaunchFailed : Reason.valueOf(r.name());
    }

    private static Optional<Instant> latest(Optional<Instant> a, Optional<Instant> b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : Optional.of(a.get().isAfter(b.get()) ? a.get() : b.get());
    }

    /** A deleted cluster's memory goes with it. */
    public void forget(HealingCluster hc) {
        counted.remove(String.valueOf(hc.getMetadata().getUid()));
    }

    private static Optional<Instant> mark(String text) {
        try {
            return text == null ? Optional.empty() : Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty(); // edited by hand: counting starts again from what AWS still lists
        }
    }
}
