package io.autoheal.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.kube.Reason;
import io.javaoperatorsdk.operator.OperatorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The reason on-call reads for an AWS error, from its code and status: who has to act, and how soon to retry. */
class AwsErrorReasonsTest {
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(nullValues = "null", value = {
            // IAM refusals, whatever the service calls them: the operator's policy lacks an action
            "AccessDenied, 403, AwsAccessDenied",                      // Auto Scaling (query protocol)
            "AccessDeniedException, 400, AwsAccessDenied",             // JSON protocol services
            "UnauthorizedOperation, 403, AwsAccessDenied",             // EC2
            // a launch template AWS says is missing; anything else about templates is a bad request
            "InvalidLaunchTemplateId.NotFound, 400, LaunchTemplateNotFound",
            "InvalidLaunchTemplateName.NotFoundException, 400, LaunchTemplateNotFound",
            "InvalidLaunchTemplateId.VersionNotFound, 400, LaunchTemplateNotFound",
            "InvalidLaunchTemplateName.AlreadyExistsException, 400, AwsBadRequest",
            "InvalidLaunchTemplateId.Malformed, 400, AwsBadRequest",
            // refused input: a person fixes the spec or the account
            "ValidationError, 400, AwsBadRequest",
            "InvalidSubnetID.NotFound, 400, AwsBadRequest",
            "AddressLimitExceeded, 400, AwsBadRequest",
            "IdempotentParameterMismatch, 400, AwsBadRequest",
            "null, 400, AwsBadRequest",
            // throttling, even when AWS sends it with a 4xx: transient, retried with back-off
            "Throttling, 400, AwsError",
            "ThrottlingException, 400, AwsError",
            "RequestLimitExceeded, 503, AwsError",
            "RequestLimitExceeded, 400, AwsError",
            "TooManyRequestsException, 429, AwsError",
            "SomethingNew, 429, AwsError",
            // AWS' own trouble, or no answer at all
            "InternalError, 500, AwsError",
            "ServiceUnavailable, 503, AwsError",
            "Unavailable, 503, AwsError",
            "null, 0, AwsError"})
    void reasonOfAnAnswer(String code, int status, Reason expected) {
        assertThat(AwsErrorReasons.reason(code, status)).isEqualTo(expected);
    }

    static AwsServiceException aws(int status, String code, String message) {
        return AwsServiceException.builder().statusCode(status).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }

    @Test
    void anExceptionIsClassifiedThroughItsWrappersAndAnythingWithoutAnAnswerIsAwsError() {
        assertThat(AwsErrorReasons.reason(new OperatorException(new RuntimeException(aws(403, "UnauthorizedOperation", "no")))))
                .isEqualTo(Reason.AwsAccessDenied);
        assertThat(AwsErrorReasons.reason(aws(400, "ValidationError", "bad subnet"))).isEqualTo(Reason.AwsBadRequest);
        assertThat(AwsErrorReasons.reason(SdkClientException.create("Unable to connect"))).isEqualTo(Reason.AwsError);
        assertThat(AwsErrorReasons.reason(new IllegalStateException("kube said no"))).isEqualTo(Reason.AwsError);
    }

    @Test
    void onlyTransientFailuresAreRetriedHot() {
        assertThat(Reason.values()).filteredOn(AwsErrorReasons::needsAPerson).contains(Reason.AwsAccessDenied,
                Reason.AwsBadRequest, Reason.LaunchTemplateNotFound).doesNotContain(Reason.AwsError);
    }

    @Test
    void accessDeniedNamesTheActionAndThePolicyAndKeepsTheEncodedBlobOutOfStatus() {
        String described = AwsErrors.accessDenied("UnauthorizedOperation", "You are not authorized to perform this operation."
                + " Encoded authorization failure message: Q2xpZW50IHRva2VuIGlzIG5vdCBhIHNlY3JldA", "AllocateAddress");
        assertThat(described).startsWith("UnauthorizedOperation: AWS denied AllocateAddress to the operator's IAM identity")
                .contains("deploy/aws/iam-policy.json", "You are not authorized to perform this operation.",
                        "aws sts decode-authorization-message")
                .doesNotContain("Q2xpZW50");
        assertThat(AwsErrors.accessDenied("AccessDenied", "User: arn:aws:sts::1:assumed-role/op/x is not authorized to perform:"
                + " autoscaling:CreateAutoScalingGroup", null))
                .startsWith("AccessDenied: AWS denied an API call to the operator's IAM identity")
                .endsWith("AWS said: User: arn:aws:sts::1:assumed-role/op/x is not authorized to perform: autoscaling:CreateAutoScalingGroup");
    }
}
