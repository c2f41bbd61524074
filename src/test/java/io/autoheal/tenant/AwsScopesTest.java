package io.autoheal.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autoheal.fleet.AwsScope;
import io.autoheal.fleet.CloudFailure;
import io.autoheal.kube.Reason;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AwsScopesTest {
    static final String ROLE_B = "arn:aws:iam::222222222222:role/autoheal-team-b";
    final AwsScopes scopes = new AwsScopes(ns -> switch (ns) {
        case "team-b" -> Optional.of(ROLE_B);
        case "typo" -> Optional.of("arn:aws:iam::2222:role/x");
        case "unread" -> throw new TenantIdentities.TenantIdentityUnknown("not read yet");
        default -> Optional.empty();
    }, "us-east-1");

    @Test
    void aScopeIsTheRegionWithTheNamespacesRoleOrTheOperatorsOwn() {
        Map<String, AwsScope> expected = Map.of(
                "team-a", AwsScope.own("us-east-1"),
                "team-b", AwsScope.assumed("us-east-1", ROLE_B, "team-b"));
        expected.forEach((ns, scope) -> assertThat(scopes.of(ns, null)).as(ns).isEqualTo(scope));
        assertThat(scopes.of("team-b", "eu-west-1")).isEqualTo(AwsScope.assumed("eu-west-1", ROLE_B, "team-b"));
    }

    @Test
    void aRoleThatCannotBeUsedIsTenantRoleNotAssumedNeverTheOperatorsIdentity() {
        assertThatThrownBy(() -> scopes.of("typo", null)).isInstanceOfSatisfying(CloudFailure.class, f -> {
            assertThat(f.reason()).isEqualTo(Reason.TenantRoleNotAssumed);
            assertThat(f.describe()).contains("spec.aws.roleArn").contains("typo");
        });
        assertThatThrownBy(() -> scopes.of("unread", null)).isInstanceOfSatisfying(CloudFailure.class,
                f -> assertThat(f.reason()).isEqualTo(Reason.TenantRoleNotAssumed));
    }
}
