package io.autoheal.api.v1alpha1;

/** status.rollout.phase. */
public enum RolloutPhase {
    /** Machines are moving to the target version. */
    Rolling,
    /** The newest target-version machine is healthy and waits out spec.rollout.bakeTime before the next old machine leaves. */
    Baking,
    /** Waiting: at a checkpoint (pauseAtPercent) until resumed, or stopped by a failure with onFailure: Pause. */
    Paused,
    /** The target version failed: machines return to the stable version. */
    RollingBack,
    /** Every machine runs the target version, which is now the stable one. */
    Complete,
    /** The target version failed and the rollback is done: the cluster runs the stable version. */
    Failed
}
