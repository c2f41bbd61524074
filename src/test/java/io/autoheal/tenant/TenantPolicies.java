package io.autoheal.tenant;

import io.autoheal.api.v1alpha1.HealingClusterSpec;
import io.autoheal.api.v1alpha1.InlineMachine;
import io.autoheal.api.v1alpha1.MachineTemplate;
import io.autoheal.api.v1alpha1.TenantAllow;
import io.autoheal.api.v1alpha1.TenantPolicy;
import io.autoheal.api.v1alpha1.TenantPolicySpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;

/** Test data: TenantPolicies and cluster specs built in one line. */
final class TenantPolicies {
    private TenantPolicies() {
    }

    static TenantPolicy policy(String name, List<String> namespaces, TenantAllow allow) {
        TenantPolicy p = new TenantPolicy();
        p.setMetadata(new ObjectMetaBuilder().withName(name).build());
        TenantPolicySpec spec = new TenantPolicySpec();
        spec.namespaces = namespaces;
        spec.allow = allow;
        p.setSpec(spec);
        return p;
    }

    static HealingClusterSpec inlineCluster() {
        HealingClusterSpec spec = new HealingClusterSpec();
        spec.subnetIds = List.of("subnet-0aaa1111", "subnet-0bbb2222");
        spec.template = new MachineTemplate();
        spec.template.machine = new InlineMachine();
        spec.template.machine.imageId = "ami-0123456789abcdef0";
        spec.template.machine.instanceType = "t3.micro";
        spec.template.machine.iamInstanceProfile = "arn:aws:iam::222222222222:instance-profile/team-b-web";
        spec.template.machine.securityGroupIds = List.of("sg-0b000001");
        return spec;
    }
}
