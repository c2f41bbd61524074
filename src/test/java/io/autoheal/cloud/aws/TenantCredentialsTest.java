package io.autoheal.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.fleet.AwsScope;
import io.autoheal.fleet.CloudFailure;
import io.autoheal.kube.Reason;
import io.autoheal.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.ResolveIdentityRequest;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
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

    /** STS as the test scripts it: counts AssumeRole calls, answers with {@link #failure} when set, else with credentials. */
    static final class ScriptedSts implements StsClient {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicReference<RuntimeException> failure = new AtomicReference<>();

        @Override
        public AssumeRoleResponse assumeRole(AssumeRoleRequest request) {
            calls.incrementAndGet();
            if (failure.get() != null) {
                throw failure.get();
            }
            return AssumeRoleResponse.builder().credentials(Credentials.builder().accessKeyId("AKIA" + calls.get())
                    .secretAccessKey("secret").sessionToken("token").expiration(Instant.now().plus(Duration.ofHours(1))).build()).build();
        }

        @Override
        public String serviceName() {
            return "sts";
        }

        @Override
        public void close() {
        }
    }

    static Throwable refusal(IdentityProvider<AwsCredentialsIdentity> provider) {
        try {
            provider.resolveIdentity(ResolveIdentityRequest.builder().build()).join();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("the identity resolved");
    }

    @Test
    void aFailedAssumeRoleIsRememberedForAMinuteSoStsUnreachableDoesNotHoldEveryPass() {
        TestClock clock = new TestClock(Instant.parse("2026-12-08T01:00:00Z"));
        ScriptedSts sts = new ScriptedSts();
        sts.failure.set(SdkClientException.create("Unable to execute HTTP request: connect timed out"));
        TenantCredentials credentials = new TenantCredentials(region -> sts, "prod-eu", clock);
        IdentityProvider<AwsCredentialsIdentity> b = credentials.of(B);

        assertThat(refusal(b)).isInstanceOf(TenantCredentials.TenantRoleRefused.class);
        assertThat(sts.calls).as("the first pass asks STS").hasValue(1);
        for (int pass = 0; pass < 5; pass++) {
            clock.advance(Duration.ofSeconds(10));
            CloudFailure f = AwsFailures.of(SdkClientException.builder().cause(refusal(b)).build());
            assertThat(f.reason()).isEqualTo(Reason.TenantRoleNotAssumed);
            assertThat(f.kind()).isEqualTo(CloudFailure.Kind.UNREACHABLE);
            assertThat(f.describe()).contains(B.roleArn()).contains("connect timed out");
        }
        assertThat(sts.calls).as("within the minute: the remembered failure, no STS call").hasValue(1);

        AwsScope otherNamespace = AwsScope.assumed("us-east-1", B.roleArn(), "team-c");
        refusal(credentials.of(otherNamespace));
        assertThat(sts.calls).as("another (role, namespace, region) asks for itself").hasValue(2);

        clock.advance(Duration.ofSeconds(11)); // 61 s after the first failure
        sts.failure.set(null);
        AwsCredentialsIdentity identity = b.resolveIdentity(ResolveIdentityRequest.builder().build()).join();
        assertThat(identity.accessKeyId()).startsWith("AKIA");
        assertThat(sts.calls).as("after the minute STS is asked again, and answers").hasValue(3);
    }

    @Test
    void anAccessDeniedIsRememberedForExactlyOneMinute() {
        TestClock clock = new TestClock(Instant.parse("2026-12-08T01:00:00Z"));
        ScriptedSts sts = new ScriptedSts();
        sts.failure.set(StsException.builder().statusCode(403)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage("not trusted").build()).build());
        IdentityProvider<AwsCredentialsIdentity> b = new TenantCredentials(region -> sts, "prod-eu", clock).of(B);
        refusal(b);
        clock.advance(Duration.ofSeconds(59));
        CloudFailure f = AwsFailures.of(SdkClientException.builder().cause(refusal(b)).build());
        assertThat(f.kind()).isEqualTo(CloudFailure.Kind.REFUSED);
        assertThat(f.describe()).contains("AccessDenied");
        assertThat(sts.calls).hasValue(1);
        clock.advance(Duration.ofSeconds(1));
        refusal(b);
        assertThat(sts.calls).as("a minute on: asked again").hasValue(2);
    }
}
