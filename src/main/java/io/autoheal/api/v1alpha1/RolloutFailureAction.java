package io.autoheal.api.v1alpha1;

/** spec.rollout.onFailure: what a failed rollout does. */
public enum RolloutFailureAction {
    /** Return to status.rollout.stableVersion: new-version machines are replaced by stable ones (surge first). */
    Rollback,
    /** Stop where it is: no further machine rolls, nothing is rolled back. */
    Pause
}
