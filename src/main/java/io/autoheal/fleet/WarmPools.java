package io.autoheal.fleet;

/** The tag that proves a warm spare ran its bootstrap while warmed (read back after a restart: no second job). */
public final class WarmPools {
    /** Value: the bootstrap job that succeeded. Written before the launch hook is completed. */
    public static final String BOOTSTRAPPED_TAG = "autoheal.io/warm-bootstrapped";

    private WarmPools() {
    }
}
