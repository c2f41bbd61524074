package io.autoheal.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.events.FleetEvent.Envelope;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link FleetEventParser} over message bodies shaped as AWS documents them (the examples of the EC2 User Guide, the
 * Auto Scaling event reference and the AWS Health EventBridge schema, with their real field names and nesting), and
 * over what is not such an event.
 */
class FleetEventParserTest {
    static final String ACCOUNT = "123456789012";
    static final Instant T = Instant.parse("2021-11-11T21:29:54Z");

    static String event(String source, String detailType, String resources, String detail) {
        return """
                {"version": "0", "id": "7bf73129-1428-4cd3-a780-95db273d1602", "detail-type": "%s", "source": "%s",
                 "account": "123456789012", "time": "2021-11-11T21:29:54Z", "region": "eu-west-1", "resources": %s,
                 "detail": %s}""".formatted(detailType, source, resources, detail);
    }

    static Envelope envelope(String source, String detailType) {
        return new Envelope("7bf73129-1428-4cd3-a780-95db273d1602", source, detailType, ACCOUNT, "eu-west-1", Optional.of(T));
    }

    static final String INSTANCE_ARN = "[\"arn:aws:ec2:eu-west-1:123456789012:instance/i-1234567890abcdef0\"]";
    static final String ASG_ARN = "[\"arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:a9bd6096-bbdc-49dc-af99-cef9fc02e58c:autoScalingGroupName/autoheal-prod-voip\"]";

    static Stream<Arguments> awsEvents() {
        String lifecycleDetail = """
                {"LifecycleActionToken": "87654321-4321-4321-4321-210987654321", "AutoScalingGroupName": "autoheal-prod-voip",
                 "LifecycleHookName": "autoheal-launch-gate", "EC2InstanceId": "i-1234567890abcdef0",
                 "LifecycleTransition": "%s", "NotificationMetadata": "additional-info", "Origin": "%s", "Destination": "%s"}""";
        String launchDetail = """
                {"StatusCode": "%s", "Description": "Launching a new EC2 instance: i-1234567890abcdef0",
                 "AutoScalingGroupName": "autoheal-prod-voip", "ActivityId": "87654321-4321-4321-4321-210987654321",
                 "Details": {"Availability Zone": "eu-west-1b", "Subnet ID": "subnet-12345678"},
                 "RequestId": "12345678-1234-1234-1234-123456789012", "StatusMessage": "%s", "EndTime": "2021-11-11T21:29:54Z",
                 "EC2InstanceId": "%s", "StartTime": "2021-11-11T21:29:40Z", "Cause": "description-text"}""";
        String health = """
                {"eventArn": "arn:aws:health:eu-west-1::event/EC2/AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED/AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED_ABC123-DEF456",
                 "service": "%s", "eventTypeCode": "%s", "eventTypeCategory": "%s", "eventScopeCode": "ACCOUNT_SPECIFIC",
                 "communicationId": "1234abc01232a4012345678-1", "startTime": "Sat, 05 Jun 2027 15:10:09 GMT",
                 "endTime": "Sat, 05 Jun 2027 15:40:09 GMT", "lastUpdatedTime": "Sat, 22 May 2027 15:10:09 GMT",
                 "statusCode": "upcoming", "eventRegion": "eu-west-1",
                 "eventDescription": [{"language": "en_US", "latestDescription": "EC2 has detected degradation of the underlying hardware."}],
                 "affectedEntities": %s, "affectedAccount": "123456789012"}""";
        String twoInstances = "[{\"entityValue\": \"i-1234567890abcdef0\", \"status\": \"IMPAIRED\"}, {\"entityValue\": \"i-0abcdef1234567890\"}]";
        return Stream.of(
                Arguments.of("state change (EC2 User Guide example)",
                        event("aws.ec2", "EC2 Instance State-change Notification", INSTANCE_ARN, "{\"instance-id\": \"i-1234567890abcdef0\", \"state\": \"stopped\"}"),
                        new FleetEvent.InstanceStateChanged(envelope("aws.ec2", "EC2 Instance State-change Notification"), "i-1234567890abcdef0", "stopped")),
                Arguments.of("spot interruption warning",
                        event("aws.ec2", "EC2 Spot Instance Interruption Warning", INSTANCE_ARN, "{\"instance-id\": \"i-1234567890abcdef0\", \"instance-action\": \"stop\"}"),
                        new FleetEvent.SpotInterruption(envelope("aws.ec2", "EC2 Spot Instance Interruption Warning"), "i-1234567890abcdef0", "stop")),
                Arguments.of("rebalance recommendation",
                        event("aws.ec2", "EC2 Instance Rebalance Recommendation", INSTANCE_ARN, "{\"instance-id\": \"i-1234567890abcdef0\"}"),
                        new FleetEvent.RebalanceRecommendation(envelope("aws.ec2", "EC2 Instance Rebalance Recommendation"), "i-1234567890abcdef0")),
                Arguments.of("launch lifecycle action (Pending:Wait)",
                        event("aws.autoscaling", "EC2 Instance-launch Lifecycle Action", ASG_ARN,
                                lifecycleDetail.formatted("autoscaling:EC2_INSTANCE_LAUNCHING", "EC2", "AutoScalingGroup")),
                        new FleetEvent.LifecycleAction(envelope("aws.autoscaling", "EC2 Instance-launch Lifecycle Action"), "autoheal-prod-voip",
                                "autoheal-launch-gate", "i-1234567890abcdef0", FleetEvent.LifecycleAction.LAUNCHING, "87654321-4321-4321-4321-210987654321")),
                Arguments.of("terminate lifecycle action (Terminating:Wait)",
                        event("aws.autoscaling", "EC2 Instance-terminate Lifecycle Action", ASG_ARN,
                                lifecycleDetail.formatted("autoscaling:EC2_INSTANCE_TERMINATING", "AutoScalingGroup", "EC2")),
                        new FleetEvent.LifecycleAction(envelope("aws.autoscaling", "EC2 Instance-terminate Lifecycle Action"), "autoheal-prod-voip",
                                "autoheal-launch-gate", "i-1234567890abcdef0", FleetEvent.LifecycleAction.TERMINATING, "87654321-4321-4321-4321-210987654321")),
                Arguments.of("launch successful",
                        event("aws.autoscaling", "EC2 Instance Launch Successful", ASG_ARN, launchDetail.formatted("InProgress", "", "i-1234567890abcdef0")),
                        new FleetEvent.LaunchResult(envelope("aws.autoscaling", "EC2 Instance Launch Successful"), "autoheal-prod-voip",
                                Optional.of("i-1234567890abcdef0"), true, "")),
                Arguments.of("launch unsuccessful, naming no instance",
                        event("aws.autoscaling", "EC2 Instance Launch Unsuccessful", ASG_ARN,
                                launchDetail.formatted("Failed", "We currently do not have sufficient t3.micro capacity in the Availability Zone you requested.", "")),
                        new FleetEvent.LaunchResult(envelope("aws.autoscaling", "EC2 Instance Launch Unsuccessful"), "autoheal-prod-voip", Optional.empty(), false,
                                "We currently do not have sufficient t3.micro capacity in the Availability Zone you requested.")),
                Arguments.of("AWS Health scheduled change of two instances",
                        event("aws.health", "AWS Health Event", "[\"i-1234567890abcdef0\", \"i-0abcdef1234567890\"]",
                                health.formatted("EC2", "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED", "scheduledChange", twoInstances)),
                        new FleetEvent.ScheduledChange(envelope("aws.health", "AWS Health Event"), List.of("i-1234567890abcdef0", "i-0abcdef1234567890"),
                                "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED", "Sat, 05 Jun 2027 15:10:09 GMT")),
                Arguments.of("Health: EC2 issue, not a scheduled change",
                        event("aws.health", "AWS Health Event", "[]", health.formatted("EC2", "AWS_EC2_OPERATIONAL_ISSUE", "issue", "[]")),
                        new FleetEvent.Unknown(envelope("aws.health", "AWS Health Event"))),
                Arguments.of("Health: another service's scheduled change",
                        event("aws.health", "AWS Health Event", "[]", health.formatted("RDS", "AWS_RDS_MAINTENANCE_SCHEDULED", "scheduledChange", twoInstances)),
                        new FleetEvent.Unknown(envelope("aws.health", "AWS Health Event"))),
                Arguments.of("Health: EC2 scheduled change of no instance (a dedicated host)",
                        event("aws.health", "AWS Health Event", "[]", health.formatted("EC2", "AWS_EC2_DEDICATED_HOST_NETWORK_MAINTENANCE_SCHEDULED",
                                "scheduledChange", "[{\"entityValue\": \"h-0123456789abcdef0\"}]")),
                        new FleetEvent.Unknown(envelope("aws.health", "AWS Health Event"))),
                Arguments.of("Auto Scaling event we do not act on",
                        event("aws.autoscaling", "EC2 Instance Terminate Successful", ASG_ARN, launchDetail.formatted("InProgress", "", "i-1234567890abcdef0")),
                        new FleetEvent.Unknown(envelope("aws.autoscaling", "EC2 Instance Terminate Successful"))),
                Arguments.of("another service's event",
                        event("aws.s3", "Object Created", "[]", "{\"bucket\": {\"name\": \"b\"}}"),
                        new FleetEvent.Unknown(envelope("aws.s3", "Object Created"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("awsEvents")
    void readsAwsEvents(String name, String body, FleetEvent expected) {
        assertThat(FleetEventParser.parse(body)).isEqualTo(expected);
    }

    static Stream<Arguments> notEvents() {
        String stateChange = "EC2 Instance State-change Notification";
        return Stream.of(
                Arguments.of("empty body", "", "empty message"),
                Arguments.of("not JSON", "<html>502 Bad Gateway</html>", "not JSON"),
                Arguments.of("truncated JSON", event("aws.ec2", stateChange, INSTANCE_ARN, "{\"instance-id\": \"i-1\"").substring(0, 80), "not JSON"),
                Arguments.of("a JSON array", "[1, 2]", "not a JSON object"),
                Arguments.of("a JSON string", "\"hello\"", "not a JSON object"),
                Arguments.of("an Auto Scaling notification sent to SQS directly, not through EventBridge", """
                        {"Origin": "EC2", "Destination": "AutoScalingGroup", "Service": "AWS Auto Scaling", "Time": "2021-11-11T21:29:54.123Z",
                         "AccountId": "123456789012", "LifecycleTransition": "autoscaling:EC2_INSTANCE_LAUNCHING", "AutoScalingGroupName": "autoheal-prod-voip",
                         "LifecycleHookName": "autoheal-launch-gate", "EC2InstanceId": "i-1234567890abcdef0", "LifecycleActionToken": "8765"}""",
                        "not an EventBridge event: no source"),
                Arguments.of("an SNS envelope", "{\"Type\": \"Notification\", \"Message\": \"{}\", \"TopicArn\": \"arn:aws:sns:eu-west-1:123456789012:t\"}",
                        "not an EventBridge event: no source"),
                Arguments.of("no region", event("aws.ec2", stateChange, INSTANCE_ARN, "{}").replace("\"region\": \"eu-west-1\",", ""),
                        "not an EventBridge event: no region"),
                Arguments.of("detail not an object", event("aws.ec2", stateChange, INSTANCE_ARN, "\"stopped\""), "detail is not an object"),
                Arguments.of("state change without instance-id", event("aws.ec2", stateChange, INSTANCE_ARN, "{\"state\": \"stopped\"}"),
                        "detail.instance-id missing"),
                Arguments.of("state change with a numeric instance-id", event("aws.ec2", stateChange, INSTANCE_ARN, "{\"instance-id\": 7, \"state\": \"stopped\"}"),
                        "detail.instance-id missing or not a string"),
                Arguments.of("state change without state", event("aws.ec2", stateChange, INSTANCE_ARN, "{\"instance-id\": \"i-1234567890abcdef0\"}"),
                        "detail.state missing"),
                Arguments.of("lifecycle action without token", event("aws.autoscaling", "EC2 Instance-launch Lifecycle Action", ASG_ARN,
                        "{\"AutoScalingGroupName\": \"g\", \"LifecycleHookName\": \"h\", \"EC2InstanceId\": \"i-1\", \"LifecycleTransition\": \"autoscaling:EC2_INSTANCE_LAUNCHING\"}"),
                        "detail.LifecycleActionToken missing"),
                Arguments.of("launch result without group", event("aws.autoscaling", "EC2 Instance Launch Unsuccessful", ASG_ARN, "{\"StatusCode\": \"Failed\"}"),
                        "detail.AutoScalingGroupName missing"),
                Arguments.of("time not ISO-8601", event("aws.ec2", stateChange, INSTANCE_ARN, "{\"instance-id\": \"i-1\", \"state\": \"stopped\"}")
                        .replace("2021-11-11T21:29:54Z", "yesterday"), "time is not ISO-8601"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notEvents")
    void whatIsNoEventIsMalformedWithItsReason(String name, String body, String reason) {
        FleetEvent parsed = FleetEventParser.parse(body);
        assertThat(parsed).isInstanceOf(FleetEvent.Malformed.class);
        assertThat(((FleetEvent.Malformed) parsed).reason()).contains(reason);
        assertThat(parsed.kind()).isEqualTo("malformed");
        assertThat(parsed.region()).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void eventsSayWhereToLook() {
        FleetEvent state = FleetEventParser.parse(event("aws.ec2", "EC2 Instance State-change Notification", INSTANCE_ARN,
                "{\"instance-id\": \"i-1234567890abcdef0\", \"state\": \"stopping\"}"));
        assertThat(state.region()).contains("eu-west-1");
        assertThat(state.instanceIds()).containsExactly("i-1234567890abcdef0");
        assertThat(state.group()).isEmpty();
        FleetEvent failed = FleetEventParser.parse(event("aws.autoscaling", "EC2 Instance Launch Unsuccessful", ASG_ARN,
                "{\"AutoScalingGroupName\": \"autoheal-prod-voip\", \"EC2InstanceId\": \"\", \"StatusMessage\": \"no capacity\"}"));
        assertThat(failed.instanceIds()).isEmpty();
        assertThat(failed.group()).contains("autoheal-prod-voip");
        assertThat(failed.kind()).isEqualTo("launch_result");
        FleetEvent noTime = FleetEventParser.parse(event("aws.ec2", "EC2 Instance Rebalance Recommendation", INSTANCE_ARN,
                "{\"instance-id\": \"i-1234567890abcdef0\"}").replace("\"time\": \"2021-11-11T21:29:54Z\",", ""));
        assertThat(((FleetEvent.FromAws) noTime).envelope().time()).isEmpty();
    }
}
