package io.autoheal.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.OperatorException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** What on-call reads in a condition message when AWS fails: the code and AWS' message, not a wrapper's class. */
class AwsErrorsTest {
    static AwsServiceException aws(int status, String code, String message) {
        return AwsServiceException.builder().statusCode(status).message(message + " (Service: AutoScaling, Request ID: r-1)")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }

    @Test
    void theAwsErrorInsideAWrapperIsDescribedNotTheWrapper() {
        OperatorException wrapped = new OperatorException(new RuntimeException("reconcile", aws(503, "ServiceUnavailable", "try later")));
        assertThat(AwsErrors.describe(wrapped)).isEqualTo("ServiceUnavailable: try later");
        assertThat(AwsErrors.describe(aws(400, "ValidationError", "bad subnet"))).isEqualTo("ValidationError: bad subnet");
    }

    @Test
    void anythingElseIsWhatTheGenericWrappersHold() {
        assertThat(AwsErrors.describe(new OperatorException(SdkClientException.create("Unable to connect"))))
                .isEqualTo("SdkClientException: Unable to connect");
        assertThat(AwsErrors.describe(new OperatorException(new IllegalStateException("kube said no", new RuntimeException("io")))))
                .isEqualTo("IllegalStateException: kube said no");
    }

    @Test
    void outcomesAndBadInputAreTakenFromTypes() {
        assertThat(AwsErrors.outcomeOf(aws(503, "ServiceUnavailable", "x"))).isEqualTo("server_error");
        assertThat(AwsErrors.outcomeOf(aws(400, "ValidationError", "x"))).isEqualTo("client_error");
        assertThat(AwsErrors.outcomeOf(SdkClientException.create("down"))).isEqualTo("unreachable");
        assertThat(AwsErrors.isBadInput(aws(400, "ValidationError", "x"))).isTrue();
        assertThat(AwsErrors.isBadInput(aws(503, "ServiceUnavailable", "x"))).isFalse();
    }
}
