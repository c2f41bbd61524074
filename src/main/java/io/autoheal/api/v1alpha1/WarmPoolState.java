package io.autoheal.api.v1alpha1;

/** The state a warm spare waits in once its bootstrap is done (the Auto Scaling warm pool's PoolState). */
public enum WarmPoolState {
    Stopped, Running, Hibernated
}
