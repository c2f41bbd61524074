package io.autoheal.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autoheal.api.v1alpha1.AwsIdentityStatus;
import io.autoheal.fleet.AwsScope;
import io.autoheal.tenant.ScopeChange.Verdict;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ScopeChangeTest {
    static final String B = "arn:aws:iam::222222222222:role/autoheal-team-b";
    static final String B2 = "arn:aws:iam::222222222222:role/autoheal-team-b-v2";
    static final String C = "arn:aws:iam::333333333333:role/autoheal-team-c";
    static final AwsIdentityStatus OPERATOR = new AwsIdentityStatus(AwsIdentityStatus.OPERATOR, null);

    static AwsIdentityStatus role(String arn) {
        return ScopeChange.identityOf(AwsScope.assumed("us-east-1", arn, "team-b"));
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // recorded, resolved now, annotation → verdict
                Arguments.of(null, role(B), null, Verdict.RECORD),                        // new, or made before the record (upgrade)
                Arguments.of(null, OPERATOR, null, Verdict.RECORD),
                Arguments.of(new AwsIdentityStatus(" ", null), role(B), null, Verdict.RECORD),
                Arguments.of(role(B), role(B), null, Verdict.SAME),
                Arguments.of(OPERATOR, OPERATOR, null, Verdict.SAME),
                Arguments.of(role(B), role(B), C, Verdict.SAME),                           // an annotation for another move changes nothing
                Arguments.of(role(B), role(C), null, Verdict.CHANGED),                     // roleArn edited to another account
                Arguments.of(role(B), role(B2), null, Verdict.CHANGED),                    // another role of the same account: still asked
                Arguments.of(role(B), OPERATOR, null, Verdict.CHANGED),                    // policy deleted / label no longer matches
                Arguments.of(OPERATOR, role(B), null, Verdict.CHANGED),                    // a policy with a role arrives later
                Arguments.of(role(B), role(C), B2, Verdict.CHANGED),                       // accepts another identity, not this one
                Arguments.of(role(B), role(C), "", Verdict.CHANGED),
                Arguments.of(role(B), role(C), C, Verdict.ACCEPT),
                Arguments.of(role(B), role(C), " " + C + "\n", Verdict.ACCEPT),
                Arguments.of(role(B), OPERATOR, "operator", Verdict.ACCEPT),
                Arguments.of(OPERATOR, role(B), B, Verdict.ACCEPT));
    }

    @ParameterizedTest
    @MethodSource("table")
    void decides(AwsIdentityStatus recorded, AwsIdentityStatus resolved, String accepted, Verdict expected) {
        assertThat(ScopeChange.decide(recorded, resolved, accepted)).isEqualTo(expected);
    }

    @Test
    void theIdentityOfAScopeIsItsRoleAndAccountOrTheOperator() {
        assertThat(role(C)).isEqualTo(new AwsIdentityStatus(C, "333333333333"));
        assertThat(ScopeChange.identityOf(AwsScope.own("eu-west-1"))).isEqualTo(OPERATOR);
    }

    @Test
    void aRecordedIdentityGivesBackItsScope() {
        assertThat(ScopeChange.scopeOf(role(B), "eu-west-1", "team-b")).isEqualTo(AwsScope.assumed("eu-west-1", B, "team-b"));
        assertThat(ScopeChange.scopeOf(OPERATOR, "eu-west-1", "team-b")).isEqualTo(AwsScope.own("eu-west-1"));
        assertThatThrownBy(() -> ScopeChange.scopeOf(new AwsIdentityStatus("not-a-role", null), "eu-west-1", "team-b"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theMessageNamesBothIdentitiesAndTheWaysOut() {
        assertThat(ScopeChange.changedMessage("HealingCluster", role(B), OPERATOR)).contains(B).contains("the operator's own identity")
                .contains("Restore the policy").contains("delete this HealingCluster").contains("autoheal.io/accept-aws-identity=operator")
                .contains("docs/runbook.md");
    }
}
