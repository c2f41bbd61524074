package io.autoheal.fast;

import static io.autoheal.fast.FastResources.cluster;
import static io.autoheal.fast.FastResources.pool;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.TenantAllow;
import io.autoheal.api.v1alpha1.TenantPolicy;
import io.autoheal.api.v1alpha1.TenantPolicySpec;
import io.autoheal.cluster.ClusterNames;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.kube.Reason;
import io.autoheal.testing.FastOperator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The reconcilers' TenantPolicy check before any AWS call, on the in-memory fleet: a policy tightened after admission
 * stops the cluster and the pool (reason NotAllowedByTenantPolicy, a Warning Event, not one AWS call), and the mode
 * decides for a namespace without a policy.
 */
@Tag("fast")
class TenantPolicyFastTest {
    static final Duration TICK = Duration.ofSeconds(10);

    static TenantPolicy policy(String name, TenantAllow allow) {
        TenantPolicy p = new TenantPolicy();
        p.setMetadata(new ObjectMetaBuilder().withName(name).build());
        p.setSpec(new TenantPolicySpec());
        p.getSpec().namespaces = List.of(FastResources.NAMESPACE);
        p.getSpec().allow = allow;
        return p;
    }

    static String asg(HealingCluster hc) {
        return ClusterNames.asgName(hc, io.autoheal.fleet.Installations.LEGACY, List.of());
    }

    static void assertRefused(List<Condition> conditions, String message) {
        Condition ready = Conditions.find(conditions, ConditionType.Ready).orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo(Reason.NotAllowedByTenantPolicy.name());
        assertThat(ready.getMessage()).contains(message);
    }

    @Test
    void aPolicyTightenedAfterCreationStopsTheClusterBeforeAnyAwsCall() {
        FastOperator op = FastOperator.builder().build();
        TenantAllow allow = new TenantAllow();
        allow.subnets = List.of("subnet-0*");
        op.tenantPolicies.policies.add(policy("team-fast", allow));
        HealingCluster hc = cluster("web", 2);
        op.clusters.add(hc);
        op.run(4, TICK);
        assertThat(op.fleet.serving(asg(hc))).hasSize(2);

        allow.subnets = List.of("subnet-0aaa*"); // an administrator narrows the policy; the cluster keeps its three subnets
        Map<String, Integer> before = Map.copyOf(op.fleet.calls);
        String victim = op.fleet.serving(asg(hc)).get(0);
        op.fleet.stop(victim); // even healing waits: replacing it would launch into a subnet the policy no longer allows
        op.run(3, TICK);
        assertThat(op.fleet.calls).as("not one AWS call for the refused cluster").isEqualTo(before);
        assertRefused(hc.getStatus().conditions,
                "spec.subnetIds: subnet-0bbbbbbbbbbbbbbb2 is not allowed by TenantPolicy team-fast (spec.allow.subnets) (and 1 more)");
        assertThat(op.events.recorded).anySatisfy(e -> {
            assertThat(e.reason()).isEqualTo(Reason.NotAllowedByTenantPolicy);
            assertThat(e.warning()).isTrue();
            assertThat(e.object()).isEqualTo("web");
        });

        allow.subnets = null; // widened again: the cluster heals
        op.run(4, TICK);
        assertThat(Conditions.isTrue(hc.getStatus().conditions, ConditionType.Ready)).isTrue();
        assertThat(op.fleet.serving(asg(hc))).hasSize(2).doesNotContain(victim);
    }

    @Test
    void openModeWithoutPolicyActsAsBeforeEnforcedModeActsOnNothing() {
        FastOperator open = FastOperator.builder().build();
        HealingCluster a = cluster("web", 1);
        open.clusters.add(a);
        open.run(3, TICK);
        assertThat(open.fleet.serving(asg(a))).hasSize(1);

        FastOperator enforced = FastOperator.builder().setting("autoheal.tenant-policy.mode", "enforced").build();
        HealingCluster b = cluster("web", 1);
        ElasticIpPool p = pool("ips", 2);
        enforced.clusters.add(b);
        enforced.pools.add(p);
        enforced.run(3, TICK);
        // the pool reads its addresses (a listed one is judged by its tags), nothing else; the cluster not even that
        assertThat(enforced.fleet.calls.keySet()).as("no AWS write").containsOnly("DescribeAddresses");
        assertThat(enforced.fleet.group(asg(b))).isEmpty();
        assertRefused(b.getStatus().conditions, "no TenantPolicy applies to namespace fast and the tenant-policy mode is enforced");
        assertThat(Conditions.find(p.getStatus().conditions, ConditionType.Ready).orElseThrow().getReason())
                .isEqualTo(Reason.NotAllowedByTenantPolicy.name());

        enforced.tenantPolicies.policies.add(policy("team-fast", null)); // a policy without allow-lists: anything
        enforced.run(3, TICK);
        assertThat(enforced.fleet.serving(asg(b))).hasSize(1);
        assertThat(p.getStatus().total).isEqualTo(2);
    }

    @Test
    void aPoolTakesOnlyListedAddressesCarryingTheRequiredTags() {
        FastOperator op = FastOperator.builder().build();
        String ours = op.fleet.addAddress(Map.of("team", "fast"));
        String theirs = op.fleet.addAddress(Map.of("team", "other"));
        TenantAllow allow = new TenantAllow();
        allow.addressTags = Map.of("team", "fast");
        op.tenantPolicies.policies.add(policy("team-fast", allow));
        ElasticIpPool p = pool("ips", 1);
        p.getSpec().allocate = null;
        p.getSpec().addresses = List.of(ours, theirs);
        op.pools.add(p);
        op.run(2, TICK);
        Condition ready = Conditions.find(p.getStatus().conditions, ConditionType.Ready).orElseThrow();
        assertThat(ready.getReason()).isEqualTo(Reason.NotAllowedByTenantPolicy.name());
        assertThat(ready.getMessage()).contains("spec.addresses: " + theirs + " (tags {team=other}) is not allowed by TenantPolicy team-fast");
        assertThat(op.fleet.calls.keySet()).as("reads only, no claim written").containsOnly("DescribeAddresses");

        p.getSpec().addresses = List.of(ours);
        op.run(2, TICK);
        assertThat(Conditions.isTrue(p.getStatus().conditions, ConditionType.Ready)).isTrue();
        assertThat(p.getStatus().total).isEqualTo(1);
    }
}
