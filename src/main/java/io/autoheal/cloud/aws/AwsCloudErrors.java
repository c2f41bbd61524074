package io.autoheal.cloud.aws;

import io.autoheal.fleet.CloudErrors;
import io.autoheal.kube.Reason;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** The AWS classification ({@link AwsErrors}, {@link AwsErrorReasons}) behind the port. */
@ApplicationScoped
public class AwsCloudErrors implements CloudErrors {
    @Override
    public Reason reason(Throwable t) {
        if (t instanceof io.autoheal.fleet.FencedWrite) {
            return Reason.Fenced; // nothing was sent: this replica could not prove it still holds the Lease
        }
        return AwsErrorReasons.reason(t);
    }

    @Override
    public boolean isBadInput(Throwable t) {
        return AwsErrors.isBadInput(t);
    }

    @Override
    public String describe(Throwable t) {
        return AwsErrors.describe(t);
    }

    @Override
    public Optional<String> operation(Throwable t) {
        return AwsErrors.operation(t);
    }

    @Override
    public String errorCode(Throwable t) {
        return AwsErrors.errorCode(t);
    }

    @Override
    public String detail(Throwable t) {
        return t instanceof AwsServiceException e && e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : t.getMessage();
    }
}
