package io.autoheal.fast;

import static io.autoheal.fast.FastResources.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.cluster.ClusterNames;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.kube.Reason;
import io.autoheal.tenant.TenantIdentities;
import io.autoheal.testing.FastOperator;
import io.autoheal.testing.InMemoryFleet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 28: a namespace whose TenantPolicy role cannot be assumed (or cannot be told) is that namespace's problem only:
 * its clusters say TenantRoleNotAssumed with a Warning Event and make no AWS write, never fall back to the operator's
 * own identity, and the other tenants' clusters keep healing; the region does not back off.
 */
@Tag("fast")
class TenantRoleFastTest {
    static final String ROLE_B = "arn:aws:iam::222222222222:role/autoheal-team-b";
    static final Map<String, String> ROLES = Map.of("team-b", ROLE_B);

    static HealingCluster in(String namespace, HealingCluster hc) {
        hc.getMetadata().setNamespace(namespace);
        return hc;
    }

    static String asg(HealingCluster hc) {
        return ClusterNames.asgName(hc, io.autoheal.fleet.Installations.LEGACY, List.of());
    }

    @Test
    void aRefusedRoleBlocksOnlyItsNamespaceWhileAnotherTenantHeals() {
        FastOperator op = FastOperator.builder().tenants(ns -> Optional.ofNullable(ROLES.get(ns))).build();
        HealingCluster b = in("team-b", cluster("b", 2));
        HealingCluster a = in("team-a", cluster("a", 2));
        op.clusters.addAll(List.of(a, b));
        op.run(5, Duration.ofSeconds(10));
        assertThat(op.fleet.serving(asg(b))).as("team-b's cluster, with its role").hasSize(2);
        List<InMemoryFleet.ScopedWrite> beforeRefusal = op.fleet.scopedWrites();
        assertThat(beforeRefusal).as("team-b's group was made by writes").anyMatch(w -> asg(b).equals(w.group()));
        assertThat(beforeRefusal).as("team-b's writes only with its role, every write with that role team-b's")
                .allSatisfy(w -> assertThat(asg(b).equals(w.group())).as(w.toString()).isEqualTo(ROLE_B.equals(w.scope().roleArn())));

        op.fleet.faults.refuseRole(ROLE_B);
        String victim = op.fleet.serving(asg(a)).get(0);
        op.fleet.stop(victim);
        // team-b needs healing too: an operator falling back to its own identity would replace this one
        String stoppedB = op.fleet.serving(asg(b)).get(0);
        op.fleet.stop(stoppedB);
        op.run(6, Duration.ofSeconds(10));

        assertThat(op.fleet.serving(asg(a))).as("team-a healed").hasSize(2).doesNotContain(victim);
        List<InMemoryFleet.ScopedWrite> afterRefusal = op.fleet.scopedWrites().subList(beforeRefusal.size(), op.fleet.scopedWrites().size());
        assertThat(afterRefusal).as("team-a's healing wrote").isNotEmpty();
        assertThat(afterRefusal).as("no write for team-b after its role was refused, with any identity")
                .noneMatch(w -> asg(b).equals(w.group()) || ROLE_B.equals(w.scope().roleArn()));
        assertThat(op.fleet.serving(asg(b))).as("team-b's stopped machine left alone").contains(stoppedB);
        assertThat(Conditions.find(b.getStatus().conditions, ConditionType.Degraded)).get()
                .satisfies(c -> assertThat(c.getReason()).isEqualTo(Reason.TenantRoleNotAssumed.name()))
                .satisfies(c -> assertThat(c.getMessage()).contains(ROLE_B).contains("team-b"));
        assertThat(op.events.recorded).anySatisfy(e -> {
            assertThat(e.object()).isEqualTo("b");
            assertThat(e.reason()).isEqualTo(Reason.TenantRoleNotAssumed);
            assertThat(e.warning()).isTrue();
        });
        assertThat(op.events.recorded).noneSatisfy(e -> assertThat(List.of(e.object(), e.reason())).containsExactly("a", Reason.TenantRoleNotAssumed));
        assertThat(op.regionBackoff.nextAttempt(io.autoheal.fleet.AwsScope.own("us-east-1"))).as("no region back-off").isEmpty();
    }

    @Test
    void aNamespaceWhoseIdentityCannotBeToldWaitsInsteadOfActingAsTheOperator() {
        TenantIdentities unknown = ns -> {
            if (ns.equals("team-b")) {
                throw new TenantIdentities.TenantIdentityUnknown("the TenantPolicies are not read yet");
            }
            return Optional.empty();
        };
        FastOperator op = FastOperator.builder().tenants(unknown).build();
        HealingCluster b = in("team-b", cluster("b", 2));
        HealingCluster a = in("team-a", cluster("a", 2));
        op.clusters.addAll(List.of(a, b));
        op.run(5, Duration.ofSeconds(10));

        assertThat(op.fleet.serving(asg(a))).hasSize(2);
        assertThat(op.fleet.group(asg(b))).as("no group created for team-b with the operator's identity").isEmpty();
        assertThat(Conditions.find(b.getStatus().conditions, ConditionType.Degraded)).get()
                .satisfies(c -> assertThat(c.getReason()).isEqualTo(Reason.TenantRoleNotAssumed.name()));
    }
}
