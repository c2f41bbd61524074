package io.autoheal.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.fleet.AwsScope;
import io.autoheal.fleet.CloudFailure;
import io.autoheal.kube.Reason;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.model.StsException;

class TenantCredentialsTest {
    static final AwsScope B = AwsScope.assumed("us-east-1", "arn:aws:iam::222222222222:role/autoheal-team-b", "team-b");

    @Test
    void theRequestCarriesTheRoleTheInstallationAsExternalIdAndTheNamespaceAsSessionTag() {
        var request = TenantCredentials.request(B, "prod-eu");
        assertThat(request.roleArn()).isEqualTo(B.roleArn());
        assertThat(request.externalId()).isEqualTo("prod-eu");
        assertThat(request.roleSessionName()).isEqualTo("autoheal-team-b");
        assertThat(request.durationSeconds()).isEqualTo(3600);
        assertThat(request.tags()).singleElement().satisfies(t -> {
            assertThat(t.key()).isEqualTo("autoheal.io/namespace");
            assertThat(t.value()).isEqualTo("team-b");
        });
    }

    @Test
    void sessionNamesStayWithinStsLimits() {
        assertThat(TenantCredentials.sessionName("a")).isEqualTo("autoheal-a");
        String longest = "n".repeat(63);
        assertThat(TenantCredentials.sessionName(longest)).hasSize(64).startsWith("autoheal-nnn").matches("[\\w+=,.@-]+");
    }

    @Test
    void aRefusedAssumeRoleIsTenantRoleNotAssumedNotAnAwsErrorOfTheRegion() {
        StsException denied = (StsException) StsException.builder().statusCode(403)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage("not trusted").build()).build();
        CloudFailure f = AwsFailures.of(SdkClientException.builder().cause(new TenantCredentials.TenantRoleRefused(B, denied)).build());
        assertThat(f.reason()).isEqualTo(Reason.TenantRoleNotAssumed);
        assertThat(f.kind()).isEqualTo(CloudFailure.Kind.REFUSED);
        assertThat(f.retryable()).as("a person must fix the trust policy").isFalse();
        assertThat(f.describe()).contains(B.roleArn()).contains("team-b").contains("AccessDenied");

        CloudFailure unreachable = AwsFailures.of(new TenantCredentials.TenantRoleRefused(B, SdkClientException.create("connect timed out")));
        assertThat(unreachable.reason()).isEqualTo(Reason.TenantRoleNotAssumed);
        assertThat(unreachable.kind()).isEqualTo(CloudFailure.Kind.UNREACHABLE);
    }
}
