package io.autoheal.cluster;

import io.autoheal.fleet.CloudFailure;

/**
 * The one place the cluster pass classifies the port's domain failure: which failures of a port call are the cloud's,
 * as opposed to bugs or API-server errors.
 */
final class CloudFailures {
    private CloudFailures() {
    }

    /** A cloud call failed (the service answered with an error, or it timed out): that command failed, the pass goes on. */
    static boolean isCloudFailure(Throwable t) {
        return t instanceof CloudFailure;
    }

    /** The service answered with an error (4xx/5xx), as opposed to a timeout, an unreachable endpoint or an unsent call. */
    static boolean isServiceAnswer(Throwable t) {
        return t instanceof CloudFailure f && f.status() > 0;
    }
}
