package io.autoheal.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autoheal.api.v1alpha1.NamespaceSelector;
import io.autoheal.api.v1alpha1.TenantAllow;
import io.autoheal.api.v1alpha1.TenantAws;
import io.autoheal.api.v1alpha1.TenantPolicy;
import io.autoheal.fleet.AwsScope;
import io.autoheal.fleet.CloudFailure;
import io.autoheal.kube.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The one snapshot both decisions read: a namespace's role (AwsScopes) and the TenantPolicy check (TenantGate), for each
 * state of the reader — no CRD, not read yet, read.
 */
class TenantSnapshotTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String ROLE_B = "arn:aws:iam::222222222222:role/autoheal-team-b";
    static final String ROLE_T = "arn:aws:iam::333333333333:role/autoheal-teams";

    static TenantPolicy policy(String name, List<String> namespaces, Map<String, String> selector, String role) {
        TenantPolicy p = TenantPolicies.policy(name, namespaces, null);
        if (selector != null) {
            p.getSpec().namespaceSelector = new NamespaceSelector();
            p.getSpec().namespaceSelector.matchLabels = selector;
        }
        if (role != null) {
            p.getSpec().aws = new TenantAws();
            p.getSpec().aws.roleArn = role;
        }
        return p;
    }

    static final List<TenantPolicy> POLICIES = List.of(
            policy("team-b", List.of("team-b"), null, ROLE_B),
            policy("no-role", List.of("team-n"), null, null),
            policy("labelled", null, Map.of("tenant", "yes"), ROLE_T),
            policy("overlap", List.of("team-b2"), null, ROLE_T),
            policy("overlap-2", List.of("team-b2"), null, ROLE_B));
    static final TenantSnapshot SYNCED = TenantSnapshot.synced(POLICIES, Map.of("team-l", Map.of("tenant", "yes")), T0);
    static final TenantSnapshot NO_CRD = TenantSnapshot.noCrd(T0);
    static final TenantSnapshot SYNCING = TenantSnapshot.syncing(T0, "403 tenantpolicies.autoheal.io is forbidden");

    static TenantVerdict gate(TenantMode mode, TenantSnapshot snapshot, String namespace) {
        return TenantVerdict.decide(mode, snapshot, namespace, allow -> ClusterAllowCheck.check(TenantPolicies.inlineCluster(), allow));
    }

    @Test
    void theOnePolicyOfANamespaceGivesItsRole() {
        Map<String, Optional<String>> rows = Map.of(
                "team-b", Optional.of(ROLE_B),
                "team-n", Optional.empty(),        // a policy without aws.roleArn: the operator's identity
                "team-l", Optional.of(ROLE_T),     // selected by label (from the snapshot's labels, no read)
                "nobody", Optional.empty());       // no policy
        rows.forEach((ns, role) -> assertThat(SYNCED.roleArn(ns)).as(ns).isEqualTo(role));
    }

    @Test
    void severalPoliciesMakeTheIdentityUnknown() {
        assertThatThrownBy(() -> SYNCED.roleArn("team-b2")).isInstanceOf(TenantIdentities.TenantIdentityUnknown.class)
                .hasMessageContaining("overlap, overlap-2");
    }

    @Test
    void withoutTheCrdEveryNamespaceHasTheOperatorsIdentity() {
        for (String ns : List.of("team-b", "team-l", "nobody")) {
            assertThat(NO_CRD.roleArn(ns)).as(ns).isEmpty();
        }
        AwsScopes scopes = new AwsScopes(TenantIdentities.of(() -> NO_CRD), "us-east-1");
        assertThat(scopes.of("team-b", null)).isEqualTo(AwsScope.own("us-east-1"));
    }

    @Test
    void withoutTheCrdTheOpenModeAllowsAndTheEnforcedModeRefusesNamingTheCrd() {
        assertThat(gate(TenantMode.open, NO_CRD, "team-b")).isEqualTo(TenantVerdict.ALLOWED);
        TenantVerdict enforced = gate(TenantMode.enforced, NO_CRD, "team-b");
        assertThat(enforced.allowed()).isFalse();
        assertThat(enforced.waiting()).isFalse();
        assertThat(enforced.message()).isEqualTo("the TenantPolicy CRD (tenantpolicies.autoheal.io) is not installed and the"
                + " tenant-policy mode is enforced: no cluster or pool may act until it is installed (kubectl apply -f crds/) with a"
                + " policy for namespace team-b");
    }

    @Test
    void notReadYetEveryNamespaceWaitsInBothModesAndHasNoIdentity() {
        for (TenantMode mode : TenantMode.values()) {
            TenantVerdict v = gate(mode, SYNCING, "nobody");
            assertThat(v.allowed()).as(mode.name()).isFalse();
            assertThat(v.waiting()).as(mode.name()).isTrue();
            assertThat(v.message()).contains("403 tenantpolicies.autoheal.io is forbidden").contains("namespace nobody waits");
        }
        AwsScopes scopes = new AwsScopes(TenantIdentities.of(() -> SYNCING), "us-east-1");
        assertThatThrownBy(() -> scopes.of("nobody", null)).isInstanceOfSatisfying(CloudFailure.class,
                f -> assertThat(f.reason()).isEqualTo(Reason.TenantRoleNotAssumed));
    }

    @Test
    void aWaitIsSaidOnlyOnceItHasLasted() {
        TenantVerdict wait = gate(TenantMode.open, SYNCING, "team-b");
        assertThat(wait.worthSaying(T0)).isFalse();
        assertThat(wait.worthSaying(T0.plus(TenantVerdict.SAY_WAIT_AFTER).minusMillis(1))).isFalse();
        assertThat(wait.worthSaying(T0.plus(TenantVerdict.SAY_WAIT_AFTER))).isTrue();
        assertThat(gate(TenantMode.enforced, NO_CRD, "team-b").worthSaying(T0.plus(Duration.ofHours(1)))).as("not a wait").isFalse();
    }

    @Test
    void readTheMatchingRuleIsTheOneOfTenantVerdict() {
        TenantAllow none = new TenantAllow();
        none.images = List.of();
        TenantSnapshot strict = TenantSnapshot.synced(List.of(TenantPolicies.policy("team-b", List.of("team-b"), none)), Map.of(), T0);
        assertThat(gate(TenantMode.open, strict, "team-b").message()).contains("spec.template.machine.imageId");
        assertThat(gate(TenantMode.open, strict, "team-a").allowed()).isTrue();
        assertThat(gate(TenantMode.enforced, strict, "team-a").message())
                .isEqualTo("no TenantPolicy applies to namespace team-a and the tenant-policy mode is enforced");
    }

    @Test
    void aSnapshotIsImmutable() {
        java.util.ArrayList<TenantPolicy> list = new java.util.ArrayList<>(POLICIES);
        TenantSnapshot s = TenantSnapshot.synced(list, Map.of(), T0);
        list.clear();
        assertThat(s.policies()).hasSize(POLICIES.size());
        assertThatThrownBy(() -> s.policies().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
