package io.autoheal.cluster;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place the cluster pass knows the cloud SDK's exception types (the port's domain failure type replaces
 * them here and nowhere else): which failures of a port call are the cloud's, as opposed to bugs or API-server errors.
 */
final class CloudFailures {
    private CloudFailures() {
    }

    /** A cloud call failed (the service answered with an error, or it timed out): that command failed, the pass goes on. */
    static boolean isCloudFailure(Throwable t) {
        return t instanceof SdkException;
    }

    /** The service answered with an error (4xx/5xx), as opposed to a timeout or an unreachable endpoint. */
    static boolean isServiceAnswer(Throwable t) {
        return t instanceof AwsServiceException;
    }
}
