package io.autoheal.cluster.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.autoheal.fleet.ScalingActivity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table tests of the pure launch verdict and of the reasons read from AWS's messages. */
class LaunchFailuresTest {
    static final String ICE = "We currently do not have sufficient m5.large capacity in the Availability Zone you requested (us-east-1a). "
            + "Our system will be working on provisioning additional capacity. You can currently get m5.large capacity by not specifying an "
            + "Availability Zone in your request or choosing us-east-1b, us-east-1c. Launching EC2 instance failed.";
    static final String LIMIT = "You have requested more instances (7) than your current instance limit of 6 allows for the specified "
            + "instance type. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit. "
            + "Launching EC2 instance failed.";
    static final String VCPU = "You have requested more vCPU capacity than your current vCPU limit of 32 allows for the instance bucket "
            + "that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an "
            + "adjustment to this limit. Launching EC2 instance failed.";
    static final String AMI = "The image id '[ami-0123456789abcdef0]' does not exist. Launching EC2 instance failed.";
    static final String IAM = "Value (voip-profile) for parameter iamInstanceProfile.name is invalid. Invalid IamInstanceProfile name. "
            + "Launching EC2 instance failed.";
    static final String IAM_ARN = "Value (arn:aws:iam::123456789012:instance-profile/x) for parameter iamInstanceProfile.arn is invalid. "
            + "Invalid IAM Instance Profile ARN. Launching EC2 instance failed.";
    static final String TYPE = "Your requested instance type (m7i.large) is not supported in your requested Availability Zone "
            + "(us-east-1e). Please retry your request by not specifying an Availability Zone or choosing us-east-1a. Launching EC2 "
            + "instance failed.";
    static final String SPOT = "Max spot instance count exceeded. Launching EC2 instance failed.";
    static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    static Stream<Arguments> messages() {
        return Stream.of(
                Arguments.of(ICE, LaunchFailureReason.InsufficientInstanceCapacity),
                Arguments.of("Insufficient capacity. Launching EC2 instance failed.", LaunchFailureReason.InsufficientInstanceCapacity),
                Arguments.of(LIMIT, LaunchFailureReason.InstanceLimitExceeded),
                Arguments.of(VCPU, LaunchFailureReason.InstanceLimitExceeded),
                Arguments.of(AMI, LaunchFailureReason.InvalidAmi),
                Arguments.of(IAM, LaunchFailureReason.InvalidIamInstanceProfile),
                Arguments.of(IAM_ARN, LaunchFailureReason.InvalidIamInstanceProfile),
                Arguments.of(TYPE, LaunchFailureReason.UnsupportedInstanceType),
                Arguments.of(SPOT, LaunchFailureReason.Other),
                Arguments.of("", LaunchFailureReason.Other),
                Arguments.of(null, LaunchFailureReason.Other));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void the_reason_is_read_from_aws_wording(String message, LaunchFailureReason expected) {
        assertEquals(expected, LaunchFailureReason.of(message));
    }

    static ScalingActivity ok(String id, int second) {
        return new ScalingActivity(id, "Launching a new EC2 instance: i-" + id, "Successful", null, T0.plusSeconds(second),
                T0.plusSeconds(second));
    }

    static ScalingActivity failed(String id, int second, String message) {
        return new ScalingActivity(id, "Launching a new EC2 instance.  Status Reason: " + message, "Failed", message,
                T0.plusSeconds(second), T0.plusSeconds(second));
    }

    static ScalingActivity terminateFailed(String id, int second) {
        return new ScalingActivity(id, "Terminating EC2 instance: i-" + id, "Failed", "boom", T0.plusSeconds(second), T0.plusSeconds(second));
    }

    /** activities (any order), previous mark → failing reason (or null), in a row, newly counted ids, new mark (seconds). */
    static Stream<Arguments> verdicts() {
        return Stream.of(
                Arguments.of("nothing read (a settled group)", List.of(), null, null, 0, List.of(), null),
                Arguments.of("nothing read keeps the mark", List.of(), 30, null, 0, List.of(), 30),
                Arguments.of("only successes", List.of(ok("a", 1), ok("b", 2)), null, null, 0, List.of(), null),
                Arguments.of("one failure", List.of(failed("f", 5, ICE)), null, LaunchFailureReason.InsufficientInstanceCapacity, 1,
                        List.of("f"), 5),
                Arguments.of("failures after a success, newest decides", List.of(ok("a", 1), failed("f1", 5, LIMIT), failed("f2", 9, AMI)),
                        null, LaunchFailureReason.InvalidAmi, 2, List.of("f1", "f2"), 9),
                Arguments.of("a success after failures clears it, failures still counted once",
                        List.of(failed("f1", 5, ICE), ok("b", 9)), null, null, 0, List.of("f1"), 5),
                Arguments.of("already counted failures are not counted again", List.of(ok("a", 1), failed("f1", 5, ICE), failed("f2", 9, ICE)),
                        5, LaunchFailureReason.InsufficientInstanceCapacity, 2, List.of("f2"), 9),
                Arguments.of("nothing new since the mark", List.of(failed("f1", 5, ICE)), 5, LaunchFailureReason.InsufficientInstanceCapacity, 1,
                        List.of(), 5),
                Arguments.of("order as read does not matter", List.of(failed("f2", 9, IAM), ok("a", 1), failed("f1", 5, IAM)), null,
                        LaunchFailureReason.InvalidIamInstanceProfile, 2, List.of("f1", "f2"), 9),
                Arguments.of("a failed termination is no launch", List.of(ok("a", 1), terminateFailed("t", 5)), null, null, 0, List.of(), null),
                Arguments.of("an in-progress launch got through", List.of(failed("f1", 5, ICE), new ScalingActivity("p",
                        "Launching a new EC2 instance: i-p", "InProgress", null, T0.plusSeconds(8), null)), 5, null, 0, List.of(), 5),
                Arguments.of("a cancelled launch is a failure", List.of(new ScalingActivity("c", "Launching a new EC2 instance.  Status Reason: "
                        + SPOT, "Cancelled", SPOT, T0.plusSeconds(3), T0.plusSeconds(3))), null, LaunchFailureReason.Other, 1, List.of("c"), 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("verdicts")
    void verdict(String name, List<ScalingActivity> activities, Integer mark, LaunchFailureReason failing, int inARow, List<String> counted,
                 Integer newMark) {
        List<ScalingActivity> shuffled = new ArrayList<>(activities);
        LaunchFailures.Verdict v = LaunchFailures.decide(shuffled, Optional.ofNullable(mark).map(T0::plusSeconds));
        assertEquals(Optional.ofNullable(failing), v.failing().map(LaunchFailures.Failure::reason), "reason");
        assertEquals(inARow, v.failedInARow(), "in a row");
        assertEquals(counted, v.newlyFailed().stream().map(LaunchFailures.Failure::activityId).toList(), "counted");
        assertEquals(Optional.ofNullable(newMark).map(T0::plusSeconds), v.countedThrough(), "mark");
        v.failing().ifPresent(f -> assertEquals(activities.stream().filter(a -> a.activityId().equals(f.activityId())).findFirst()
                .orElseThrow().statusMessage(), f.message(), "AWS's message word for word"));
    }
}
