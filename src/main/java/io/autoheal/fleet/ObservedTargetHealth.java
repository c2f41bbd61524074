package io.autoheal.fleet;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The health of the load-balancer targets of the operator's groups, as one inventory refresh read it
 * (DescribeTargetHealth, one call per target group). A target group whose read failed is absent: its targets' health
 * is unknown, never unhealthy.
 *
 * @param byGroup target group ARN -> instance id -> its target's health
 * @param unread  target group ARN -> why its read failed (AWS's error code, or the kind of client failure): the
 *                cluster is told (TargetHealthUnknown), never a silent no-op
 */
public record ObservedTargetHealth(Instant readAt, Map<String, Map<String, Target>> byGroup, Map<String, String> unread) {
    public static final ObservedTargetHealth NONE = new ObservedTargetHealth(Instant.EPOCH, Map.of());

    public ObservedTargetHealth {
        byGroup = Map.copyOf(byGroup);
        unread = Map.copyOf(unread);
    }

    public ObservedTargetHealth(Instant readAt, Map<String, Map<String, Target>> byGroup) {
        this(readAt, byGroup, Map.of());
    }

    /** One target's health: state (initial, healthy, unhealthy, unused, draining, unavailable) and AWS's reason code and description. */
    public record Target(String state, String reason, String description) {
    }

    /** The target's health in this group; empty when the group was not read or the machine is not registered. */
    public Optional<Target> of(String targetGroupArn, String instanceId) {
        Map<String, Target> g = byGroup.get(targetGroupArn);
        return g == null ? Optional.empty() : Optional.ofNullable(g.get(instanceId));
    }

    public boolean read(String targetGroupArn) {
        return byGroup.containsKey(targetGroupArn);
    }
}
