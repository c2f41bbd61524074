package io.autoheal.events;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One message of the event queue, as {@link FleetEventParser#parse(String)} read it: an AWS event about EC2 instances
 * or Auto Scaling groups, an AWS event we do not act on ({@link Unknown}), or something that is no such event
 * ({@link Malformed}). Events only say <em>where to look</em>: they arrive at least once, possibly duplicated and out
 * of order, so whoever acts on them re-reads AWS for the instances and group they name ({@link #region()},
 * {@link #instanceIds()}, {@link #group()}) instead of trusting the event's state.
 */
public sealed interface FleetEvent permits FleetEvent.FromAws, FleetEvent.Malformed {

    /** Label value of {@code autoheal_events_received_total{kind}}. */
    String kind();

    /** The region the event happened in (the EventBridge envelope's region). */
    default Optional<String> region() {
        return Optional.empty();
    }

    /** The account the event happened in (the EventBridge envelope's account): whose inventory holds what it names. */
    default Optional<String> account() {
        return Optional.empty();
    }

    /** The EC2 instances the event names (may be empty). */
    default List<String> instanceIds() {
        return List.of();
    }

    /** The Auto Scaling group the event names, if any (EC2 events name none: the inventory knows the group). */
    default Optional<String> group() {
        return Optional.empty();
    }

    /** The EventBridge envelope every AWS event has; {@code time} is when AWS emitted it (second precision). */
    record Envelope(String id, String source, String detailType, String account, String region, Optional<Instant> time) {
    }

    /** A well-formed EventBridge event. */
    sealed interface FromAws extends FleetEvent
            permits InstanceStateChanged, SpotInterruption, RebalanceRecommendation, ScheduledChange, LifecycleAction, LaunchResult, Unknown {
        Envelope envelope();

        @Override
        default Optional<String> region() {
            return Optional.of(envelope().region());
        }

        @Override
        default Optional<String> account() {
            return Optional.ofNullable(envelope().account()).filter(a -> !a.isBlank());
        }
    }

    /** "EC2 Instance State-change Notification": state is pending, running, stopping, stopped, shutting-down or terminated. */
    record InstanceStateChanged(Envelope envelope, String instanceId, String state) implements FromAws {
        @Override
        public String kind() {
            return "instance_state";
        }

        @Override
        public List<String> instanceIds() {
            return List.of(instanceId);
        }
    }

    /** "EC2 Spot Instance Interruption Warning": EC2 takes the instance in two minutes; action is terminate, stop or hibernate. */
    record SpotInterruption(Envelope envelope, String instanceId, String action) implements FromAws {
        @Override
        public String kind() {
            return "spot_interruption";
        }

        @Override
        public List<String> instanceIds() {
            return List.of(instanceId);
        }
    }

    /** "EC2 Instance Rebalance Recommendation": the Spot instance is at elevated risk of interruption. */
    record RebalanceRecommendation(Envelope envelope, String instanceId) implements FromAws {
        @Override
        public String kind() {
            return "rebalance_recommendation";
        }

        @Override
        public List<String> instanceIds() {
            return List.of(instanceId);
        }
    }

    /**
     * AWS Health "AWS Health Event" of service EC2, category scheduledChange (retirement, maintenance reboot, stop):
     * the instances AWS will act on, the event type code (e.g. AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED) and when
     * (startTime as AWS Health writes it, e.g. "Sat, 05 Jun 2027 15:10:09 GMT"; empty if absent).
     */
    record ScheduledChange(Envelope envelope, List<String> instanceIds, String eventTypeCode, String startTime) implements FromAws {
        public ScheduledChange {
            instanceIds = List.copyOf(instanceIds);
        }

        @Override
        public String kind() {
            return "scheduled_change";
        }
    }

    /**
     * "EC2 Instance-launch Lifecycle Action" / "EC2 Instance-terminate Lifecycle Action": the instance waits in
     * Pending:Wait / Terminating:Wait for hook {@code hook} of group {@code asg}; {@code token} completes it.
     */
    record LifecycleAction(Envelope envelope, String asg, String hook, String instanceId, String transition, String token) implements FromAws {
        public static final String LAUNCHING = "autoscaling:EC2_INSTANCE_LAUNCHING";
        public static final String TERMINATING = "autoscaling:EC2_INSTANCE_TERMINATING";

        @Override
        public String kind() {
            return "lifecycle_action";
        }

        @Override
        public List<String> instanceIds() {
            return List.of(instanceId);
        }

        @Override
        public Optional<String> group() {
            return Optional.of(asg);
        }
    }

    /**
     * "EC2 Instance Launch Successful" / "EC2 Instance Launch Unsuccessful" of group {@code asg}; a failed launch
     * usually names no instance; {@code message} is AWS's StatusMessage (why it failed, empty on success).
     */
    record LaunchResult(Envelope envelope, String asg, Optional<String> instanceId, boolean success, String message) implements FromAws {
        @Override
        public String kind() {
            return "launch_result";
        }

        @Override
        public List<String> instanceIds() {
            return instanceId.map(List::of).orElse(List.of());
        }

        @Override
        public Optional<String> group() {
            return Optional.of(asg);
        }
    }

    /** A well-formed EventBridge event of a type (or AWS Health service/category) we do not act on. */
    record Unknown(Envelope envelope) implements FromAws {
        @Override
        public String kind() {
            return "unknown";
        }
    }

    /** Not an EventBridge event, or one without what its type requires; reason says what was wrong. */
    record Malformed(String reason) implements FleetEvent {
        @Override
        public String kind() {
            return "malformed";
        }
    }
}
