package io.autoheal.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autoheal.api.v1alpha1.NamespaceSelector;
import io.autoheal.api.v1alpha1.TenantAws;
import io.autoheal.api.v1alpha1.TenantPolicy;
import io.autoheal.api.v1alpha1.TenantPolicySpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Table: a namespace's role from the TenantPolicies (names, label selectors, none, several, no role). */
class TenantPolicyIdentitiesTest {
    static TenantPolicy policy(String name, List<String> namespaces, Map<String, String> selector, String role) {
        TenantPolicy p = new TenantPolicy();
        p.setMetadata(new ObjectMetaBuilder().withName(name).build());
        TenantPolicySpec spec = new TenantPolicySpec();
        spec.namespaces = namespaces;
        if (selector != null) {
            spec.namespaceSelector = new NamespaceSelector();
            spec.namespaceSelector.matchLabels = selector;
        }
        if (role != null) {
            spec.aws = new TenantAws();
            spec.aws.roleArn = role;
        }
        p.setSpec(spec);
        return p;
    }

    static final String ROLE_B = "arn:aws:iam::222222222222:role/autoheal-team-b";
    static final String ROLE_T = "arn:aws:iam::333333333333:role/autoheal-teams";
    static final List<TenantPolicy> POLICIES = List.of(
            policy("team-b", List.of("team-b"), null, ROLE_B),
            policy("no-role", List.of("team-n"), null, null),
            policy("labelled", null, Map.of("tenant", "yes"), ROLE_T),
            policy("overlap", List.of("team-b2"), null, ROLE_T),
            policy("overlap-2", List.of("team-b2"), null, ROLE_B));
    static final Map<String, Map<String, String>> LABELS = Map.of("team-l", Map.of("tenant", "yes"));

    @Test
    void theOnePolicyOfANamespaceGivesItsRole() {
        Map<String, Optional<String>> rows = Map.of(
                "team-b", Optional.of(ROLE_B),
                "team-n", Optional.empty(),        // a policy without aws.roleArn: the operator's identity
                "team-l", Optional.of(ROLE_T),     // selected by label
                "nobody", Optional.empty());       // no policy
        rows.forEach((ns, role) -> assertThat(TenantPolicyIdentities.roleOf(POLICIES, ns, n -> LABELS.getOrDefault(n, Map.of())))
                .as(ns).isEqualTo(role));
    }

    @Test
    void severalPoliciesMakeTheIdentityUnknown() {
        assertThatThrownBy(() -> TenantPolicyIdentities.roleOf(POLICIES, "team-b2", n -> Map.of()))
                .isInstanceOf(TenantIdentities.TenantIdentityUnknown.class).hasMessageContaining("overlap, overlap-2");
    }

    @Test
    void labelsAreAskedOnlyWhenAPolicySelectsByLabel() {
        AtomicInteger asked = new AtomicInteger();
        List<TenantPolicy> byName = List.of(POLICIES.get(0), POLICIES.get(1));
        TenantPolicyIdentities.roleOf(byName, "team-b", n -> {
            asked.incrementAndGet();
            return Map.of();
        });
        assertThat(asked).hasValue(0);
    }
}
