package io.autoheal.tenant;

import io.autoheal.api.v1alpha1.HealingClusterSpec;
import io.autoheal.api.v1alpha1.InlineMachine;
import io.autoheal.api.v1alpha1.LaunchTemplateRef;
import io.autoheal.api.v1alpha1.TenantAllow;
import java.util.ArrayList;
import java.util.List;

/**
 * Every HealingCluster field a TenantPolicy restricts, against its allow-lists. What a referenced launch template
 * contains is not looked into (spec.allow.launchTemplates says which templates may be referenced at all).
 */
public final class ClusterAllowCheck {
    private ClusterAllowCheck() {
    }

    public static List<Violation> check(HealingClusterSpec spec, TenantAllow allow) {
        List<Violation> out = new ArrayList<>();
        if (allow == null || spec == null) {
            return out;
        }
        if (spec.subnetIds != null) {
            spec.subnetIds.forEach(s -> test(out, allow.subnets, "spec.subnetIds", s, "subnets"));
        }
        if (spec.autoScalingGroupName != null) {
            test(out, allow.adoptGroups, "spec.autoScalingGroupName", spec.autoScalingGroupName, "adoptGroups");
        }
        if (spec.template != null && spec.template.launchTemplate != null) {
            LaunchTemplateRef ref = spec.template.launchTemplate;
            String field = ref.id != null ? "spec.template.launchTemplate.id" : "spec.template.launchTemplate.name";
            test(out, allow.launchTemplates, field, ref.id != null ? ref.id : ref.name, "launchTemplates");
        }
        InlineMachine machine = spec.template == null ? null : spec.template.machine;
        if (machine != null) {
            if (machine.imageId != null) {
                test(out, allow.images, "spec.template.machine.imageId", machine.imageId, "images");
            }
            if (machine.iamInstanceProfile != null) {
                test(out, allow.instanceProfiles, "spec.template.machine.iamInstanceProfile", machine.iamInstanceProfile, "instanceProfiles");
            }
            if (machine.securityGroupIds != null) {
                machine.securityGroupIds.forEach(g -> test(out, allow.securityGroups, "spec.template.machine.securityGroupIds", g, "securityGroups"));
            }
        }
        return out;
    }

    private static void test(List<Violation> out, List<String> patterns, String field, String value, String allowList) {
        if (!Glob.allowedBy(patterns, value)) {
            out.add(new Violation(field, value, allowList));
        }
    }
}
