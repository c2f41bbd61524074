package io.autoheal.fleet;

import java.util.Map;

/**
 * The warm-pool tags. One proves a warm spare ran its bootstrap while warmed (read back after a restart: no second
 * job); the other proves the group's warm pool is this installation's (spec.warmPool), so that a warm pool made by hand
 * — on an adopted group, say — is never deleted and its spares never touched.
 */
public final class WarmPools {
    /** Value: the bootstrap job that succeeded. Written before the launch hook is completed. */
    public static final String BOOTSTRAPPED_TAG = "autoheal.io/warm-bootstrapped";
    /** On the group; value: the installation id. Written before PutWarmPool, removed once the pool is gone. */
    public static final String OWNER_TAG = "autoheal.io/warm-pool";

    private WarmPools() {
    }

    /** Whether the group's warm pool was put by this installation (its mark, read back from the group's tags). */
    public static boolean ours(String installation, Map<String, String> groupTags) {
        return installation != null && installation.equals(groupTags.get(OWNER_TAG));
    }
}
