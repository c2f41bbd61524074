package io.autoheal.cluster.launch;

import java.util.Locale;

/**
 * Why EC2 refused an Auto Scaling launch, as a bounded set (metric label, condition reason). A scaling activity
 * carries no error code, only EC2's message, so the reason is read from AWS's fixed wording of each refusal.
 */
public enum LaunchFailureReason {
    /** "We currently do not have sufficient m5.large capacity in the Availability Zone you requested (us-east-1a)..." */
    InsufficientInstanceCapacity,
    /** "You have requested more instances (7) than your current instance limit of 6 allows..." or the vCPU limit. */
    InstanceLimitExceeded,
    /** "The image id '[ami-...]' does not exist", or an AMI that is invalid or not available. */
    InvalidAmi,
    /** "Value (x) for parameter iamInstanceProfile.name is invalid. Invalid IamInstanceProfile name" and the like. */
    InvalidIamInstanceProfile,
    /** "Your requested instance type (x) is not supported in your requested Availability Zone" and the like. */
    UnsupportedInstanceType,
    /** Any other refusal: AWS's message is still shown word for word. */
    Other;

    public static LaunchFailureReason of(String statusMessage) {
        String m = statusMessage == null ? "" : statusMessage.toLowerCase(Locale.ROOT);
        if (m.contains("insufficient") && m.contains("capacity") || m.contains("do not have sufficient")) {
            return InsufficientInstanceCapacity;
        }
        if (m.contains("current instance limit") || m.contains("current vcpu limit") || m.contains("instancelimitexceeded")
                || m.contains("vcpulimitexceeded")) {
            return InstanceLimitExceeded;
        }
        if (m.contains("iaminstanceprofile") || m.contains("iam instance profile")) {
            return InvalidIamInstanceProfile;
        }
        if (m.contains("image id") || m.contains("invalidami") || m.contains(" ami ")) {
            return InvalidAmi;
        }
        if (m.contains("instance type") && m.contains("not supported")) {
            return UnsupportedInstanceType;
        }
        return Other;
    }

    /** The metric label: bounded, snake case like the operator's other labels. */
    public String label() {
        return name().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
