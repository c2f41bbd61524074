package io.autoheal.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoheal.events.FleetEvent.Envelope;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads an SQS message body written by an EventBridge rule (the whole event, no input transformation) into a
 * {@link FleetEvent}. Pure: no I/O, never throws. Shapes are AWS's documented ones (EC2 User Guide "State change
 * events", "Spot Instance interruption notices", "Rebalance recommendations"; Auto Scaling "event reference"; AWS
 * Health "EventBridge schema"). A type we know without a field it requires is {@link FleetEvent.Malformed}; a
 * well-formed event of another type is {@link FleetEvent.Unknown}.
 */
public final class FleetEventParser {
    static final String EC2 = "aws.ec2";
    static final String AUTOSCALING = "aws.autoscaling";
    static final String HEALTH = "aws.health";

    private static final ObjectMapper JSON = new ObjectMapper();

    private FleetEventParser() {
    }

    public static FleetEvent parse(String sqsBody) {
        if (sqsBody == null || sqsBody.isBlank()) {
            return new FleetEvent.Malformed("empty message");
        }
        JsonNode root;
        try {
            root = JSON.readTree(sqsBody);
        } catch (JsonProcessingException e) {
            return new FleetEvent.Malformed("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            return new FleetEvent.Malformed("not a JSON object");
        }
        try {
            return parse(root);
        } catch (MissingField e) {
            return new FleetEvent.Malformed(e.getMessage());
        }
    }

    private static FleetEvent parse(JsonNode root) {
        for (String field : List.of("source", "detail-type", "region")) {
            if (!root.path(field).isTextual() || root.path(field).asText().isBlank()) {
                return new FleetEvent.Malformed("not an EventBridge event: no " + field);
            }
        }
        JsonNode detail = root.path("detail");
        if (!detail.isObject()) {
            return new FleetEvent.Malformed("not an EventBridge event: detail is not an object");
        }
        Optional<Instant> time;
        try {
            time = root.path("time").isTextual() ? Optional.of(Instant.parse(root.path("time").asText())) : Optional.empty();
        } catch (DateTimeParseException e) {
            return new FleetEvent.Malformed("time is not ISO-8601: " + root.path("time").asText());
        }
        Envelope envelope = new Envelope(root.path("id").asText(""), root.path("source").asText(), root.path("detail-type").asText(),
                root.path("account").asText(""), root.path("region").asText(), time);
        String type = envelope.detailType();
        return switch (envelope.source()) {
            case EC2 -> switch (type) {
                case "EC2 Instance State-change Notification" ->
                        new FleetEvent.InstanceStateChanged(envelope, text(detail, "instance-id"), text(detail, "state"));
                case "EC2 Spot Instance Interruption Warning" ->
                        new FleetEvent.SpotInterruption(envelope, text(detail, "instance-id"), detail.path("instance-action").asText("terminate"));
                case "EC2 Instance Rebalance Recommendation" -> new FleetEvent.RebalanceRecommendation(envelope, text(detail, "instance-id"));
                default -> new FleetEvent.Unknown(envelope);
            };
            case AUTOSCALING -> switch (type) {
                case "EC2 Instance-launch Lifecycle Action", "EC2 Instance-terminate Lifecycle Action" ->
                        new FleetEvent.LifecycleAction(envelope, text(detail, "AutoScalingGroupName"), text(detail, "LifecycleHookName"),
                                text(detail, "EC2InstanceId"), text(detail, "LifecycleTransition"), text(detail, "LifecycleActionToken"));
                case "EC2 Instance Launch Successful", "EC2 Instance Launch Unsuccessful" ->
                        new FleetEvent.LaunchResult(envelope, text(detail, "AutoScalingGroupName"),
                                Optional.of(detail.path("EC2InstanceId").asText("")).filter(i -> !i.isBlank()),
                                type.equals("EC2 Instance Launch Successful"), detail.path("StatusMessage").asText(""));
                default -> new FleetEvent.Unknown(envelope);
            };
            case HEALTH -> scheduledChange(envelope, detail);
            default -> new FleetEvent.Unknown(envelope);
        };
    }

    /** An AWS Health event is ours only for EC2 scheduled changes that name instances; other Health events are Unknown. */
    private static FleetEvent scheduledChange(Envelope envelope, JsonNode detail) {
        if (!envelope.detailType().equals("AWS Health Event") || !"EC2".equals(detail.path("service").asText())
                || !"scheduledChange".equals(detail.path("eventTypeCategory").asText())) {
            return new FleetEvent.Unknown(envelope);
        }
        List<String> instances = new ArrayList<>();
        for (JsonNode entity : detail.path("affectedEntities")) {
            String value = entity.path("entityValue").asText("");
            // EC2 scheduled changes name instances; other entities (e.g. a dedicated host) are not ours to act on.
            if (value.startsWith("i-") && !instances.contains(value)) {
                instances.add(value);
            }
        }
        if (instances.isEmpty()) {
            return new FleetEvent.Unknown(envelope);
        }
        return new FleetEvent.ScheduledChange(envelope, instances, text(detail, "eventTypeCode"), detail.path("startTime").asText(""));
    }

    private static String text(JsonNode detail, String field) {
        JsonNode value = detail.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new MissingField("detail." + field + " missing or not a string");
        }
        return value.asText();
    }

    /** Internal control flow: a field the event type requires is missing. */
    private static final class MissingField extends RuntimeException {
        MissingField(String message) {
            super(message, null, false, false);
        }
    }
}
