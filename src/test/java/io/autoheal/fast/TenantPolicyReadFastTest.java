package io.autoheal.fast;

import static io.autoheal.fast.FastResources.cluster;
import static io.autoheal.fast.FastResources.pool;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.TenantAllow;
import io.autoheal.api.v1alpha1.TenantAws;
import io.autoheal.api.v1alpha1.TenantPolicy;
import io.autoheal.cluster.ClusterNames;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.kube.Reason;
import io.autoheal.tenant.TenantSnapshot.State;
import io.autoheal.testing.FastOperator;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the reconcilers do with each state of the TenantPolicy reader (its snapshot), on the in-memory fleet: without the
 * CRD the open mode heals with the operator's identity and the enforced mode acts on nothing; a CRD installed later
 * makes its policies apply at the next pass; while the policies are not read nothing acts (and the wait is said only
 * when it lasts), and a namespace whose policy names a role never acts with the operator's identity meanwhile.
 */
@Tag("fast")
class TenantPolicyReadFastTest {
    static final Duration TICK = Duration.ofSeconds(10);
    static final String ROLE = "arn:aws:iam::222222222222:role/autoheal-fast";
    /** {@code InMemoryFleet.regionReads} keys: the operator's own identity is the bare region. */
    static final String OWN = "us-east-1";
    static final String TENANT = "us-east-1 (account 222222222222)";

    static String asg(HealingCluster hc) {
        return ClusterNames.asgName(hc, io.autoheal.fleet.Installations.LEGACY, List.of());
    }

    static TenantPolicy policy(TenantAllow allow, String role) {
        TenantPolicy p = TenantPolicyFastTest.policy("team-fast", allow);
        if (role != null) {
            p.getSpec().aws = new TenantAws();
            p.getSpec().aws.roleArn = role;
        }
        return p;
    }

    static Condition condition(List<Condition> conditions, ConditionType type) {
        return Conditions.find(conditions, type).orElseThrow(() -> new AssertionError("no " + type + " in " + conditions));
    }

    @Test
    void withoutTheCrdTheOpenModeHealsWithTheOperatorsIdentity() {
        FastOperator op = FastOperator.builder().build();
        op.tenantPolicies.state = State.NO_CRD;
        HealingCluster hc = cluster("web", 2);
        ElasticIpPool ips = pool("ips", 2);
        op.clusters.add(hc);
        op.pools.add(ips);
        op.run(4, TICK);
        assertThat(op.fleet.serving(asg(hc))).hasSize(2);
        String victim = op.fleet.serving(asg(hc)).get(0);
        op.fleet.stop(victim);
        op.run(4, TICK);

        assertThat(op.fleet.serving(asg(hc))).as("healed").hasSize(2).doesNotContain(victim);
        assertThat(Conditions.isTrue(hc.getStatus().conditions, ConditionType.Ready)).isTrue();
        assertThat(ips.getStatus().total).isEqualTo(2);
        assertThat(op.fleet.regionReads.keySet()).as("the operator's own identity").containsOnly(OWN);
    }

    @Test
    void withoutTheCrdTheEnforcedModeActsOnNothingAndSaysTheCrdIsMissing() {
        FastOperator op = FastOperator.builder().setting("autoheal.tenant-policy.mode", "enforced").build();
        op.tenantPolicies.state = State.NO_CRD;
        HealingCluster hc = cluster("web", 1);
        ElasticIpPool ips = pool("ips", 2);
        op.clusters.add(hc);
        op.pools.add(ips);
        op.run(3, TICK);

        assertThat(op.fleet.group(asg(hc))).isEmpty();
        assertThat(op.fleet.calls.keySet()).as("no AWS write").containsOnly("DescribeAddresses");
        for (List<Condition> conditions : List.of(hc.getStatus().conditions, ips.getStatus().conditions)) {
            Condition ready = condition(conditions, ConditionType.Ready);
            assertThat(ready.getReason()).isEqualTo(Reason.NotAllowedByTenantPolicy.name());
            assertThat(ready.getMessage()).contains("TenantPolicy CRD (tenantpolicies.autoheal.io) is not installed")
                    .contains("namespace fast");
        }
    }

    @Test
    void aCrdInstalledLaterIsNoticedAndItsPolicyAppliesAtTheNextPass() {
        FastOperator op = FastOperator.builder().build();
        op.tenantPolicies.state = State.NO_CRD;
        HealingCluster hc = cluster("web", 2);
        op.clusters.add(hc);
        op.run(4, TICK);
        assertThat(op.fleet.serving(asg(hc))).hasSize(2);

        TenantAllow narrow = new TenantAllow();
        narrow.subnets = List.of("subnet-0aaa*"); // the cluster uses three subnets: two are outside
        op.tenantPolicies.policies.add(policy(narrow, null));
        op.tenantPolicies.state = State.SYNCED; // the reader found the CRD and read the policy
        op.tenantPolicies.since = op.clock.instant();
        var before = java.util.Map.copyOf(op.fleet.calls);
        op.fleet.stop(op.fleet.serving(asg(hc)).get(0));
        op.run(3, TICK);

        assertThat(op.fleet.calls).as("no AWS call once the policy refuses").isEqualTo(before);
        Condition ready = condition(hc.getStatus().conditions, ConditionType.Ready);
        assertThat(ready.getReason()).isEqualTo(Reason.NotAllowedByTenantPolicy.name());
        assertThat(ready.getMessage()).contains("is not allowed by TenantPolicy team-fast (spec.allow.subnets)");
    }

    @Test
    void whileThePoliciesAreNotReadNothingActsTheWaitIsSaidWhenItLastsAndTheRoleIsUsedOnceRead() {
        FastOperator op = FastOperator.builder().build();
        op.tenantPolicies.state = State.SYNCING;
        op.tenantPolicies.since = op.clock.instant();
        op.tenantPolicies.policies.add(policy(null, ROLE)); // present, but not read yet
        HealingCluster hc = cluster("web", 2);
        ElasticIpPool ips = pool("ips", 1);
        op.clusters.add(hc);
        op.pools.add(ips);
        op.run(2, TICK); // 20 s: a start-up's wait, not said

        assertThat(op.fleet.calls).as("no AWS call at all").isEmpty();
        assertThat(op.fleet.regionReads).as("no AWS read either").isEmpty();
        assertThat(op.events.recorded).as("a brief wait is not said").isEmpty();
        assertThat(hc.getStatus().conditions).isNullOrEmpty();
        assertThat(op.nextPass.get("web")).as("looked at again soon").isLessThanOrEqualTo(Duration.ofSeconds(3));

        op.run(2, TICK); // past 30 s: said, once
        for (List<Condition> conditions : List.of(hc.getStatus().conditions, ips.getStatus().conditions)) {
            Condition ready = condition(conditions, ConditionType.Ready);
            assertThat(ready.getReason()).isEqualTo(Reason.TenantPoliciesNotRead.name());
            assertThat(ready.getMessage()).contains("the TenantPolicies are not read yet").contains("403 forbidden")
                    .contains("namespace fast waits rather than act with the operator's own AWS identity");
        }
        assertThat(condition(hc.getStatus().conditions, ConditionType.Degraded).getStatus()).isEqualTo("True");
        op.run(3, TICK);
        assertThat(op.events.recorded.stream().filter(e -> e.reason() == Reason.TenantPoliciesNotRead))
                .as("one Warning Event per resource, not one per pass").hasSize(2).allSatisfy(e -> assertThat(e.warning()).isTrue());
        assertThat(op.fleet.regionReads).isEmpty();

        op.tenantPolicies.state = State.SYNCED;
        op.run(4, TICK);
        assertThat(op.fleet.serving(asg(hc))).hasSize(2);
        assertThat(Conditions.isTrue(hc.getStatus().conditions, ConditionType.Ready)).isTrue();
        assertThat(op.fleet.regionReads.keySet()).as("only ever the namespace's role").containsOnly(TENANT);
    }
}
