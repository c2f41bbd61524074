package io.autoheal.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AwsScopeTest {
    @ParameterizedTest(name = "{0} -> account {1}")
    @CsvSource({
            "arn:aws:iam::222222222222:role/autoheal-team-b, 222222222222",
            "arn:aws-us-gov:iam::333333333333:role/path/autoheal-x, 333333333333",
            "arn:aws-cn:iam::444444444444:role/autoheal-y, 444444444444"})
    void aRolesAccountIsTheArnsAccount(String role, String account) {
        assertThat(AwsScope.assumed("us-east-1", role, "team-b").account()).isEqualTo(account);
    }

    @ParameterizedTest(name = "{0} is refused")
    @CsvSource({"arn:aws:iam::22222222222:role/x", "arn:aws:iam::222222222222:user/x", "arn:aws:sts::222222222222:role/x",
            "222222222222", "arn:aws:iam::222222222222:role/"})
    void notARoleArnIsRefused(String role) {
        assertThat(AwsScope.validRoleArn(role)).isFalse();
        assertThatThrownBy(() -> AwsScope.assumed("us-east-1", role, "ns")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theOperatorsOwnScopeHasNoRoleNoNamespaceAndTheOwnAccountLabel() {
        AwsScope own = AwsScope.own("eu-west-1");
        assertThat(own.isOwn()).isTrue();
        assertThat(own.account()).isEqualTo(AwsScope.OWN_ACCOUNT);
        assertThat(own.toString()).isEqualTo("eu-west-1");
        assertThatThrownBy(() -> new AwsScope("eu-west-1", null, "ns")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AwsScope("eu-west-1", "arn:aws:iam::222222222222:role/x", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void twoNamespacesOfOneRoleAreTwoScopesOneAccount() {
        AwsScope a = AwsScope.assumed("us-east-1", "arn:aws:iam::222222222222:role/r", "a");
        AwsScope b = AwsScope.assumed("us-east-1", "arn:aws:iam::222222222222:role/r", "b");
        assertThat(a).isNotEqualTo(b);
        assertThat(a.account()).isEqualTo(b.account());
        assertThat(a.in("eu-west-1")).isEqualTo(AwsScope.assumed("eu-west-1", "arn:aws:iam::222222222222:role/r", "a"));
        assertThat(a.toString()).isEqualTo("us-east-1 (account 222222222222)");
    }
}
