package io.autoheal.cluster;

import io.autoheal.api.v1alpha1.HealingClusterStatus;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.kube.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pure: the Warning Events a cluster's status change calls for, in one place ("this condition changed → this
 * Event"), from the previous and the next status only. Each fires once per transition, not once per pass:
 *
 * <ul>
 * <li>Degraded becomes True with reason EipPoolExhausted → EipPoolExhausted (AssociateAddress)</li>
 * <li>RemediationBlocked becomes True → RemediationBlocked (Heal)</li>
 * <li>RolloutStopped becomes True → RolloutStopped (Rollout)</li>
 * <li>ProbesInconclusive becomes True → ProbesInconclusive (Probe); ProbesRefused becomes True → ProbeAddressRefused (Probe)</li>
 * <li>AlertsIgnored becomes True → AlertmanagerWebhookOff (Alert)</li>
 * <li>TargetHealthUnknown becomes True → TargetHealthUnreadable (ReadTargetHealth)</li>
 * <li>LaunchFailing is True with another reason or message than before → LaunchFailing (LaunchInstances)</li>
 * </ul>
 * Events for actions (a replacement, a surge) come from the executor, one per action.
 */
public final class ConditionEvents {
    private ConditionEvents() {
    }

    /** One Warning Event to record. */
    public record Warning(Reason reason, String action, String message) {
    }

    public static List<Warning> between(HealingClusterStatus previous, HealingClusterStatus next) {
        List<Warning> out = new ArrayList<>();
        Optional<Condition> degraded = becameTrue(previous, next, ConditionType.Degraded, Reason.EipPoolExhausted);
        degraded.ifPresent(c -> out.add(new Warning(Reason.EipPoolExhausted, "AssociateAddress", c.getMessage())));
        becameTrue(previous, next, ConditionType.RemediationBlocked, null)
                .ifPresent(c -> out.add(new Warning(Reason.RemediationBlocked, "Heal", c.getMessage())));
        becameTrue(previous, next, ConditionType.RolloutStopped, null)
                .ifPresent(c -> out.add(new Warning(Reason.RolloutStopped, "Rollout", c.getMessage())));
        becameTrue(previous, next, ConditionType.ProbesInconclusive, null)
                .ifPresent(c -> out.add(new Warning(Reason.ProbesInconclusive, "Probe", c.getMessage())));
        becameTrue(previous, next, ConditionType.ProbesRefused, null)
                .ifPresent(c -> out.add(new Warning(Reason.ProbeAddressRefused, "Probe", c.getMessage())));
        becameTrue(previous, next, ConditionType.AlertsIgnored, null)
                .ifPresent(c -> out.add(new Warning(Reason.AlertmanagerWebhookOff, "Alert", c.getMessage())));
        becameTrue(previous, next, ConditionType.TargetHealthUnknown, null)
                .ifPresent(c -> out.add(new Warning(Reason.TargetHealthUnreadable, "ReadTargetHealth", c.getMessage())));
        Optional<Condition> failing = find(next, ConditionType.LaunchFailing).filter(ConditionEvents::isTrue);
        if (failing.isPresent()) {
            Condition now = failing.get();
            boolean sameCause = find(previous, ConditionType.LaunchFailing).filter(ConditionEvents::isTrue)
                    .filter(c -> now.getReason().equals(c.getReason()) && now.getMessage().equals(c.getMessage())).isPresent();
            if (!sameCause) {
                out.add(new Warning(Reason.LaunchFailing, "LaunchInstances", "AWS cannot launch machines of Auto Scaling Group "
                        + next.asgName + " (" + now.getReason() + "): " + now.getMessage()));
            }
        }
        return out;
    }

    /** The condition, when it is True now (with {@code reason}, if given) and was not before (with that reason). */
    private static Optional<Condition> becameTrue(HealingClusterStatus previous, HealingClusterStatus next, ConditionType type, Reason reason) {
        Optional<Condition> now = find(next, type).filter(ConditionEvents::isTrue)
                .filter(c -> reason == null || reason.name().equals(c.getReason()));
        boolean before = find(previous, type).filter(ConditionEvents::isTrue)
                .filter(c -> reason == null || reason.name().equals(c.getReason())).isPresent();
        return before ? Optional.empty() : now;
    }

    private static Optional<Condition> find(HealingClusterStatus status, ConditionType type) {
        return status == null ? Optional.empty() : Conditions.find(status.conditions, type);
    }

    private static boolean isTrue(Condition c) {
        return "True".equals(c.getStatus());
    }
}
