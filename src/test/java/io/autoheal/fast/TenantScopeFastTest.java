package io.autoheal.fast;

import static io.autoheal.fast.FastResources.NAMESPACE;
import static io.autoheal.fast.FastResources.cluster;
import static io.autoheal.fast.FastResources.pool;
import static io.autoheal.fast.FastResources.withPool;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.AwsIdentityStatus;
import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.cluster.ClusterNames;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.kube.Reason;
import io.autoheal.tenant.ScopeChange;
import io.autoheal.testing.FastOperator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A namespace's AWS identity that changes after its cluster and pool were made (TenantPolicy deleted, roleArn edited):
 * no AWS call with the new identity — so no second fleet in the other account — and TenantScopeChanged until the
 * policy is restored (healing resumes) or the annotation accepts the move; a deletion acts with the recorded identity.
 * The in-memory fleet shows a group only to calls of the account it was made in.
 */
@Tag("fast")
class TenantScopeFastTest {
    static final String ROLE_B = "arn:aws:iam::222222222222:role/autoheal-team-b";
    static final String ROLE_B2 = "arn:aws:iam::222222222222:role/autoheal-team-b-v2";
    static final String ROLE_C = "arn:aws:iam::333333333333:role/autoheal-team-c";
    static final Duration TICK = Duration.ofSeconds(10);

    final Map<String, String> roles = new ConcurrentHashMap<>(Map.of(NAMESPACE, ROLE_B));
    final FastOperator op = FastOperator.builder().tenants(ns -> Optional.ofNullable(roles.get(ns))).build();
    final HealingCluster hc = withPool(cluster("c", 2), "ips");
    final ElasticIpPool ips = pool("ips", 2);

    static String asg(HealingCluster hc) {
        return ClusterNames.asgName(hc, io.autoheal.fleet.Installations.LEGACY, List.of());
    }

    HealingCluster settled() {
        op.clusters.add(hc);
        op.pools.add(ips);
        op.run(8, TICK);
        assertThat(op.fleet.serving(asg(hc))).hasSize(2);
        assertThat(hc.getStatus().awsIdentity).isEqualTo(new AwsIdentityStatus(ROLE_B, "222222222222"));
        assertThat(ips.getStatus().awsIdentity).isEqualTo(new AwsIdentityStatus(ROLE_B, "222222222222"));
        assertThat(op.identityRecords.writes).as("recorded once each, not on every pass").isEqualTo(2);
        return hc;
    }

    void assertRefusedNaming(String newIdentity) {
        var degraded = Conditions.find(hc.getStatus().conditions, ConditionType.Degraded).orElseThrow();
        assertThat(degraded.getReason()).isEqualTo(Reason.TenantScopeChanged.name());
        assertThat(degraded.getMessage()).contains(ROLE_B).contains(newIdentity).contains(ScopeChange.ACCEPT_ANNOTATION);
        assertThat(Conditions.find(hc.getStatus().conditions, ConditionType.Ready).orElseThrow().getReason())
                .isEqualTo(Reason.TenantScopeChanged.name());
        assertThat(Conditions.find(ips.getStatus().conditions, ConditionType.Ready).orElseThrow().getReason())
                .isEqualTo(Reason.TenantScopeChanged.name());
        for (String object : List.of("c", "ips")) {
            assertThat(op.events.recorded).anySatisfy(e -> {
                assertThat(List.of(e.object(), e.reason(), e.warning())).containsExactly(object, Reason.TenantScopeChanged, true);
                assertThat(e.message()).contains(ROLE_B).contains(newIdentity);
            });
        }
        assertThat(hc.getStatus().awsIdentity.role).as("the record stays").isEqualTo(ROLE_B);
        assertThat(ips.getStatus().awsIdentity.role).isEqualTo(ROLE_B);
    }

    @Test
    void aChangedRoleMakesNoCallInTheNewAccountUntilThePolicyIsRestored() {
        settled();
        String victim = op.fleet.serving(asg(hc)).get(0);
        op.fleet.stop(victim);

        roles.put(NAMESPACE, ROLE_C); // roleArn edited
        op.run(6, TICK);
        assertThat(op.fleet.callsIn("333333333333")).as("no AWS call with the new identity: no second group, no addresses").isZero();
        assertThat(op.fleet.calls("CreateAutoScalingGroup", "AllocateAddress")).as("only the first fleet's").isEqualTo(1 + 2);
        assertRefusedNaming(ROLE_C);

        roles.remove(NAMESPACE); // the policy deleted: the operator's own identity
        int ownCalls = op.fleet.callsIn(io.autoheal.fleet.AwsScope.OWN_ACCOUNT);
        op.run(3, TICK);
        assertThat(op.fleet.callsIn(io.autoheal.fleet.AwsScope.OWN_ACCOUNT)).as("nor with the operator's own").isEqualTo(ownCalls);
        assertRefusedNaming("the operator's own identity");
        assertThat(op.fleet.serving(asg(hc))).as("nothing healed meanwhile").contains(victim);

        roles.put(NAMESPACE, ROLE_B); // restored
        op.run(10, TICK);
        assertThat(op.fleet.serving(asg(hc))).as("healing resumed").hasSize(2).doesNotContain(victim);
        assertThat(Conditions.isTrue(hc.getStatus().conditions, ConditionType.Ready)).isTrue();
        assertThat(Conditions.isTrue(ips.getStatus().conditions, ConditionType.Ready)).isTrue();
        assertThat(op.fleet.callsIn("333333333333")).isZero();
    }

    @Test
    void theAnnotationAcceptsAMoveToTheIdentityItNamesOnly() {
        settled();
        roles.put(NAMESPACE, ROLE_B2); // the role rotated within the account
        hc.getMetadata().setAnnotations(Map.of(ScopeChange.ACCEPT_ANNOTATION, ROLE_C)); // accepts another identity
        op.run(3, TICK);
        assertRefusedNaming(ROLE_B2);

        hc.getMetadata().setAnnotations(Map.of(ScopeChange.ACCEPT_ANNOTATION, ROLE_B2));
        ips.getMetadata().setAnnotations(Map.of(ScopeChange.ACCEPT_ANNOTATION, ROLE_B2));
        String victim = op.fleet.serving(asg(hc)).get(0);
        op.fleet.stop(victim);
        op.run(10, TICK);
        assertThat(hc.getStatus().awsIdentity).isEqualTo(new AwsIdentityStatus(ROLE_B2, "222222222222"));
        assertThat(ips.getStatus().awsIdentity).isEqualTo(new AwsIdentityStatus(ROLE_B2, "222222222222"));
        assertThat(op.fleet.serving(asg(hc))).as("healing proceeds with the accepted identity").hasSize(2).doesNotContain(victim);
        assertThat(Conditions.isTrue(hc.getStatus().conditions, ConditionType.Ready)).isTrue();
        assertThat(op.events.recorded).anySatisfy(e ->
                assertThat(List.of(e.object(), e.reason(), e.warning())).containsExactly("c", Reason.TenantScopeAccepted, false));
        assertThat(op.fleet.calls("CreateAutoScalingGroup")).isEqualTo(1);
    }

    @Test
    void aClusterMadeBeforeTheRecordGetsItsCurrentIdentityRecordedWithoutRefusal() {
        settled();
        hc.getStatus().awsIdentity = null; // as an operator without the record left it
        ips.getStatus().awsIdentity = null;
        op.run(2, TICK);
        assertThat(hc.getStatus().awsIdentity).isEqualTo(new AwsIdentityStatus(ROLE_B, "222222222222"));
        assertThat(ips.getStatus().awsIdentity).isEqualTo(new AwsIdentityStatus(ROLE_B, "222222222222"));
        assertThat(Conditions.isTrue(hc.getStatus().conditions, ConditionType.Ready)).isTrue();
        assertThat(op.events.count(Reason.TenantScopeChanged)).isZero();
    }

    @Test
    void aDeletionActsWithTheRecordedIdentityNotTheNewOne() {
        settled();
        roles.put(NAMESPACE, ROLE_C);
        op.run(2, TICK);
        assertThat(op.delete(hc, 30, TICK)).as("finalizer released").isTrue();
        assertThat(op.fleet.group(asg(hc))).as("the group in the recorded account is deleted, not leaked").isEmpty();
        assertThat(op.fleet.callsIn("333333333333")).isZero();
    }
}
