package io.autoheal.cluster;

import io.autoheal.api.v1alpha1.HealingCluster;

/** Deterministic AWS names, so that a restart finds what an earlier run created instead of creating twice. */
public final class ClusterNames {
    private ClusterNames() {
    }

    public static String asgName(HealingCluster hc) {
        if (hc.getSpec().autoScalingGroupName != null) {
            return hc.getSpec().autoScalingGroupName;
        }
        return ownedName(hc);
    }

    /** Name of the ASG and of the launch template the operator creates for a cluster. */
    public static String ownedName(HealingCluster hc) {
        return "autoheal-" + hc.getMetadata().getNamespace() + "-" + hc.getMetadata().getName();
    }
}
