package io.autoheal.testing;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;

/** A test cluster's Auto Scaling Group as moto shows it (the operator of installation "default" names it, ClusterNames.owned). */
public final class Groups {
    private Groups() {
    }

    public static String name(TestNamespace ns, String cluster) {
        return io.autoheal.cluster.ClusterNames.owned(io.autoheal.fleet.Installations.LEGACY, ns.name(), cluster);
    }

    /** The group, or null when moto has none of that name. */
    public static AutoScalingGroup of(TestNamespace ns, String cluster) {
        List<AutoScalingGroup> groups = Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(name(ns, cluster)))
                .autoScalingGroups();
        return groups.isEmpty() ? null : groups.get(0);
    }

    /** Ids of the group's InService members (empty without a group). */
    public static Set<String> inService(TestNamespace ns, String cluster) {
        AutoScalingGroup g = of(ns, cluster);
        return g == null ? Set.of() : g.instances().stream().filter(i -> "InService".equals(i.lifecycleStateAsString()))
                .map(i -> i.instanceId()).collect(Collectors.toSet());
    }
}
