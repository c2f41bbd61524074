package io.autoheal.cluster;

import io.autoheal.api.v1alpha1.RolloutPhase;
import io.autoheal.api.v1alpha1.RolloutStatus;
import io.autoheal.kube.Reason;
import java.util.Objects;
import java.util.Optional;

/**
 * Pure: what status.rollout says in the terms GitOps tools read. The Progressing condition (Kubernetes conventions:
 * True while rolling, False when done, paused or rolled back), Ready held False while rolling back, and the one Event
 * and metric outcome of a phase change.
 */
public final class RolloutReport {
    private RolloutReport() {
    }

    /** A condition's value: status, reason, message. */
    public record State(boolean status, Reason reason, String message) {
    }

    /** The Event of a phase change; {@code outcome} is the autoheal_rollouts_total label when the rollout ended. */
    public record Transition(boolean warning, Reason reason, String message, Optional<String> outcome) {
    }

    /** Progressing, or empty when the rollout is Complete (the cluster's own Progressing rules then apply). */
    public static Optional<State> progressing(RolloutStatus s) {
        if (s == null || s.phase == null || s.phase == RolloutPhase.Complete) {
            return Optional.empty();
        }
        String progress = s.updated + "/" + s.total + " machines on launch template version " + s.targetVersion;
        return Optional.of(switch (s.phase) {
            case Rolling -> new State(true, Reason.RollingOut, "Rolling from version " + s.stableVersion + ": " + progress);
            case Baking -> new State(true, Reason.RollingOut, "Baking (spec.rollout.bakeTime) since " + s.bakeStartedAt + ": " + progress);
            case Paused -> new State(false, Reason.RolloutPaused, progress + ". " + Objects.requireNonNullElse(s.message, ""));
            case RollingBack -> new State(false, Reason.RolledBack, "Rolling back to version " + s.stableVersion + ": " + s.message);
            case Failed -> new State(false, Reason.RolledBack, "Rolled back to version " + s.stableVersion + ": " + s.message
                    + "; not retried until the spec changes");
            case Complete -> throw new IllegalStateException();
        });
    }

    /** Ready is held False while a failed version is rolled back. */
    public static Optional<State> notReady(RolloutStatus s) {
        return s != null && s.phase == RolloutPhase.RollingBack
                ? Optional.of(new State(false, Reason.RollingBack, "Rolling back to version " + s.stableVersion + ": " + s.message))
                : Optional.empty();
    }

    /** The rollout failed: rolling back, rolled back (until the spec changes), or stopped by onFailure Pause. */
    public static boolean failed(RolloutStatus s) {
        return s != null && (s.phase == RolloutPhase.RollingBack || s.phase == RolloutPhase.Failed
                || s.phase == RolloutPhase.Paused && s.pausedAtPercent == null);
    }

    /** The rollout waits at a pauseAtPercent checkpoint for the resume annotation. */
    public static boolean atCheckpoint(RolloutStatus s) {
        return s != null && s.phase == RolloutPhase.Paused && s.pausedAtPercent != null;
    }

    /** The Event of the phase change from {@code before} to {@code after}, if the phase changed. */
    public static Optional<Transition> transition(RolloutStatus before, RolloutStatus after) {
        RolloutPhase was = before == null ? null : before.phase;
        if (after == null || after.phase == null || after.phase == was
                || was == null && after.phase == RolloutPhase.Complete) {
            return Optional.empty();
        }
        String target = "launch template version " + after.targetVersion;
        return Optional.of(switch (after.phase) {
            case Rolling -> new Transition(false, Reason.RolloutStarted, was == RolloutPhase.Baking || was == RolloutPhase.Paused
                    ? "Rolling on to " + target + ": " + after.updated + "/" + after.total + " updated"
                    : "Rolling from version " + after.stableVersion + " to " + target, Optional.empty());
            case Baking -> new Transition(false, Reason.RolloutBaking, "A new machine of " + target + " is healthy: baking before the next "
                    + "old machine leaves (" + after.updated + "/" + after.total + " updated)", Optional.empty());
            case Paused -> new Transition(true, Reason.RolloutPaused, "Rollout to " + target + " paused: " + after.message,
                    after.pausedAtPercent == null ? Optional.of("paused") : Optional.empty());
            case RollingBack -> new Transition(true, Reason.RolledBack, "Rolling back to version " + after.stableVersion + ": "
                    + after.message, Optional.of("rolled_back"));
            case Failed -> new Transition(true, Reason.RolledBack, "Rolled back to version " + after.stableVersion + ": " + after.message,
                    Optional.empty());
            case Complete -> new Transition(false, Reason.NewVersionAvailable, "Every machine runs " + target
                    + ", now the stable version", Optional.of("completed"));
        });
    }
}
