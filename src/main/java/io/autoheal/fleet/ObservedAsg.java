package io.autoheal.fleet;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** An Auto Scaling Group as read from AWS. */
public record ObservedAsg(
        String name,
        int min,
        int desired,
        int max,
        String launchTemplateId,
        String launchTemplateVersion,
        List<String> subnetIds,
        Map<String, String> tags,
        Set<String> suspendedProcesses,
        Set<String> launchHooks,
        boolean deleting,
        List<AsgMember> members,
        InstanceFlexibility flexibility,
        List<String> targetGroupArns,
        ObservedWarmPool warmPool) {

    public ObservedAsg {
        targetGroupArns = targetGroupArns == null ? List.of() : List.copyOf(targetGroupArns);
    }

    /** A group without a warm pool. */
    public ObservedAsg(String name, int min, int desired, int max, String launchTemplateId, String launchTemplateVersion,
                       List<String> subnetIds, Map<String, String> tags, Set<String> suspendedProcesses, Set<String> launchHooks,
                       boolean deleting, List<AsgMember> members, InstanceFlexibility flexibility, List<String> targetGroupArns) {
        this(name, min, desired, max, launchTemplateId, launchTemplateVersion, subnetIds, tags, suspendedProcesses, launchHooks, deleting,
                members, flexibility, targetGroupArns, null);
    }

    /** The spares in the group's warm pool (none without one). */
    public List<AsgMember> spares() {
        return warmPool == null ? List.of() : warmPool.spares();
    }

    /** A group attached to no target group. */
    public ObservedAsg(String name, int min, int desired, int max, String launchTemplateId, String launchTemplateVersion,
                       List<String> subnetIds, Map<String, String> tags, Set<String> suspendedProcesses, Set<String> launchHooks,
                       boolean deleting, List<AsgMember> members, InstanceFlexibility flexibility) {
        this(name, min, desired, max, launchTemplateId, launchTemplateVersion, subnetIds, tags, suspendedProcesses, launchHooks, deleting,
                members, flexibility, List.of());
    }

    /** A group without a mixed instances policy. */
    public ObservedAsg(String name, int min, int desired, int max, String launchTemplateId, String launchTemplateVersion,
                       List<String> subnetIds, Map<String, String> tags, Set<String> suspendedProcesses, Set<String> launchHooks,
                       boolean deleting, List<AsgMember> members) {
        this(name, min, desired, max, launchTemplateId, launchTemplateVersion, subnetIds, tags, suspendedProcesses, launchHooks, deleting,
                members, InstanceFlexibility.NONE, List.of());
    }

    /** An instance as the ASG sees it. */
    public record AsgMember(String instanceId, String lifecycleState, String healthStatus, String zone, String launchTemplateVersion) {
    }

    public boolean ownedBy(String clusterKey) {
        return clusterKey.equals(tags.get(Tags.CLUSTER));
    }
}
