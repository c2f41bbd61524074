package io.autoheal.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import io.autoheal.fleet.CloudErrors;
import io.autoheal.fleet.CloudFailure;
import io.autoheal.kube.Reason;
import io.javaoperatorsdk.operator.OperatorException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** The port boundary for failures: an SDK exception leaves an adapter only as a classified {@link CloudFailure}. */
class AwsFailuresTest {
    final CloudErrors errors = new CloudErrors();

    /** A real SDK client (with the operator's operation mark) against a local server answering as EC2 does to a caller without the permission. */
    @Test
    void anIamRefusalLeavesTheBoundaryAsACloudFailureWithWhatOnCallNeeds() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = FailedOperationsTest.DENIED.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(403, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try (Ec2Client ec2 = Ec2Client.builder().region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(FailedOperations.INSTANCE)).build()) {
            Throwable t = catchThrowable(() -> AwsFailures.call(() -> ec2.allocateAddress(b -> b.domain("vpc"))));
            assertThat(t).isInstanceOfSatisfying(CloudFailure.class, f -> {
                assertThat(f.kind()).isEqualTo(CloudFailure.Kind.REFUSED);
                assertThat(f.reason()).isEqualTo(Reason.AwsAccessDenied);
                assertThat(f.needsAPerson()).isTrue();
                assertThat(f.isBadInput()).isTrue();
                assertThat(f.operation()).contains("AllocateAddress");
                assertThat(f.errorCode()).isEqualTo("UnauthorizedOperation");
                assertThat(f.status()).isEqualTo(403);
                assertThat(f.requestId()).contains("r-1");
                assertThat(f.describe()).isEqualTo(f.getMessage()).startsWith("UnauthorizedOperation: AWS denied AllocateAddress")
                        .contains("deploy/aws/iam-policy.json").doesNotContain("c2VjcmV0LWlzaA").doesNotContain("r-1");
                assertThat(f.detail()).as("the log's full answer").contains("c2VjcmV0LWlzaA");
                assertThat(f.getCause()).as("kept for the log's stack trace").isInstanceOf(AwsServiceException.class);
            });
            OperatorException wrapped = new OperatorException(new RuntimeException(t));
            assertThat(errors.reason(wrapped)).isEqualTo(Reason.AwsAccessDenied);
            assertThat(errors.operation(wrapped)).contains("AllocateAddress");
            assertThat(errors.describe(wrapped)).isEqualTo(((CloudFailure) t).describe());
        } finally {
            server.stop(0);
        }
    }

    /**
     * The in-memory fleet's answers ({@link AwsFailures#answer}) are classified exactly as the SDK's exceptions with
     * the same code and status: the fast tier and production take the same paths.
     */
    @ParameterizedTest
    @CsvSource({
            "AccessDenied, 403, REFUSED, AwsAccessDenied",
            "UnauthorizedOperation, 403, REFUSED, AwsAccessDenied",
            "AccessDeniedException, 400, REFUSED, AwsAccessDenied",
            "ValidationError, 400, REFUSED, AwsBadRequest",
            "InvalidLaunchTemplateName.NotFoundException, 400, REFUSED, LaunchTemplateNotFound",
            "Resource.AlreadyAssociated, 400, REFUSED, AwsBadRequest",
            "Throttling, 400, THROTTLED, AwsError",
            "RequestLimitExceeded, 503, THROTTLED, AwsError",
            "SomethingNew, 429, THROTTLED, AwsError",
            "InternalError, 500, SERVER_ERROR, AwsError",
            "ServiceUnavailable, 503, SERVER_ERROR, AwsError"})
    void anAnswerIsClassifiedAsTheSdksExceptionOfTheSameAnswer(String code, int status, CloudFailure.Kind kind, Reason reason) {
        CloudFailure fromSdk = AwsFailures.of(AwsErrorReasonsTest.aws(status, code, "said " + code));
        CloudFailure answered = AwsFailures.answer(null, code, status, "said " + code);
        for (CloudFailure f : new CloudFailure[] {fromSdk, answered}) {
            assertThat(f.kind()).isEqualTo(kind);
            assertThat(f.reason()).isEqualTo(reason);
            assertThat(f.isBadInput()).isEqualTo(kind == CloudFailure.Kind.REFUSED);
            assertThat(f.retryable()).isEqualTo(reason == Reason.AwsError);
            assertThat(f.errorCode()).isEqualTo(code);
            assertThat(f.status()).isEqualTo(status);
        }
        assertThat(answered.describe()).isEqualTo(fromSdk.describe()).isEqualTo(AwsErrors.describe(AwsErrorReasonsTest.aws(status, code, "said " + code)));
    }

    @Test
    void noAnswerIsUnreachableAndAnUnsentAttemptIsThrottled() {
        CloudFailure unreachable = AwsFailures.of(SdkClientException.create("Unable to execute HTTP request: Connection refused"));
        assertThat(unreachable.kind()).isEqualTo(CloudFailure.Kind.UNREACHABLE);
        assertThat(unreachable.reason()).isEqualTo(Reason.AwsError);
        assertThat(unreachable.status()).isZero();
        assertThat(unreachable.errorCode()).isEmpty();
        assertThat(unreachable.requestId()).isEmpty();
        assertThat(unreachable.describe()).isEqualTo("SdkClientException: Unable to execute HTTP request: Connection refused");

        CloudFailure unsent = AwsFailures.of(SdkClientException.builder().message("budget")
                .cause(new RateBudgetExhausted("us-east-1", "write", 1, 100_000_000L)).build());
        assertThat(unsent.kind()).isEqualTo(CloudFailure.Kind.THROTTLED);
        assertThat(unsent.reason()).isEqualTo(Reason.AwsError);
        assertThat(unsent.retryable()).isTrue();
    }

    @Test
    void theBoundaryTranslatesSdkFailuresOnlyAndPassesEverythingElse() {
        SdkException sdk = AwsErrorReasonsTest.aws(400, "ValidationError", "bad subnet");
        assertThatThrownBy(() -> AwsFailures.run(() -> {
            throw sdk;
        })).isInstanceOf(CloudFailure.class).hasCause(sdk);
        IllegalStateException other = new IllegalStateException("not AWS");
        assertThatThrownBy(() -> AwsFailures.call(() -> {
            throw other;
        })).isSameAs(other);
        CloudFailure already = AwsFailures.answer("X", "ValidationError", 400, "m");
        assertThatThrownBy(() -> AwsFailures.run(() -> {
            throw already;
        })).as("an inner port call's failure crosses an outer boundary unchanged").isSameAs(already);
        assertThat(AwsFailures.call(() -> "ok")).isEqualTo("ok");
    }

    @Test
    void whatIsNoCloudFailureIsTransientAndDescribedByItsType() {
        assertThat(errors.reason(new IllegalStateException("x"))).isEqualTo(Reason.AwsError);
        assertThat(errors.describe(new OperatorException(new IllegalStateException("boom")))).isEqualTo("IllegalStateException: boom");
        assertThat(errors.errorCode(new IllegalStateException("x"))).isEmpty();
        assertThat(errors.isBadInput(new IllegalStateException("x"))).isFalse();
    }
}
