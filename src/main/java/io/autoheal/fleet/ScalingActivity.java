package io.autoheal.fleet;

import java.time.Instant;

/**
 * One of an Auto Scaling Group's scaling activities (DescribeScalingActivities), as AWS words it. A launch's
 * description starts with {@value #LAUNCH_PREFIX}; a failed one has status code {@code Failed} (or {@code Cancelled})
 * and EC2's reason in {@code statusMessage}. AWS gives no error code for it: the message is all there is.
 */
public record ScalingActivity(String activityId, String description, String statusCode, String statusMessage, Instant startTime,
                              Instant endTime) {
    public static final String LAUNCH_PREFIX = "Launching a new EC2 instance";

    public boolean launch() {
        return description != null && description.startsWith(LAUNCH_PREFIX);
    }

    public boolean failed() {
        return "Failed".equals(statusCode) || "Cancelled".equals(statusCode);
    }

    /** When it ended (a failed launch ends at once), else when it started. */
    public Instant time() {
        return endTime != null ? endTime : startTime;
    }
}
