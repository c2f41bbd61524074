package io.autoheal.cloud.aws;

import io.autoheal.kube.Reason;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Which condition reason a failed AWS call shows, decided from AWS' error code and HTTP status alone (never from
 * message text). Every reason but {@link Reason#AwsError} needs a person (an IAM policy, a spec, a template), so
 * those are retried slowly; AwsError (throttling, 5xx, unreachable) is retried with back-off.
 */
public final class AwsErrorReasons {
    /** Deploy-time pointer in messages: the policy the operator's role should have. */
    public static final String IAM_POLICY = "deploy/aws/iam-policy.json";
    /** IAM refusals: EC2 says UnauthorizedOperation, Auto Scaling AccessDenied, JSON services AccessDeniedException. */
    static final Set<String> ACCESS_DENIED = Set.of("AccessDenied", "AccessDeniedException", "UnauthorizedOperation");
    /** AWS' throttling codes (as the SDK's retry policy knows them); some come with a 400 status. */
    static final Set<String> THROTTLING = Set.of("Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled",
            "RequestThrottledException", "RequestLimitExceeded", "TooManyRequestsException", "EC2ThrottledException",
            "SlowDown", "PriorRequestNotComplete", "BandwidthLimitExceeded", "ProvisionedThroughputExceededException");

    private AwsErrorReasons() {
    }

    /** The reason of an AWS error answer; {@code status} 0 = no answer at all. */
    public static Reason reason(String code, int status) {
        String c = code == null ? "" : code;
        if (ACCESS_DENIED.contains(c)) {
            return Reason.AwsAccessDenied;
        }
        if (THROTTLING.contains(c) || status == 429 || status < 400 || status >= 500) {
            return Reason.AwsError;
        }
        if (c.startsWith("InvalidLaunchTemplate") && c.contains("NotFound")) {
            return Reason.LaunchTemplateNotFound;
        }
        return Reason.AwsBadRequest;
    }

    /** The reason of any failure: an AWS error answer (looked for through wrappers), else AwsError. */
    public static Reason reason(Throwable t) {
        if (AwsErrors.awsCause(t) instanceof AwsServiceException e) {
            return e.isThrottlingException() ? Reason.AwsError : reason(AwsErrors.errorCode(e), e.statusCode());
        }
        return Reason.AwsError;
    }

    /** A person must act (IAM, spec, template): report and retry slowly instead of JOSDK's back-off loop. */
    public static boolean needsAPerson(Reason reason) {
        return reason != Reason.AwsError;
    }
}
