package io.autoheal.testing;

import io.autoheal.fleet.AsgAction;
import java.util.List;

/** The Auto Scaling actions on an {@link InMemoryFleet}, with AWS' answers to a repeat (create is refused, tags merge). */
final class InMemoryGroupWrites {
    private final InMemoryFleet fleet;

    InMemoryGroupWrites(InMemoryFleet fleet) {
        this.fleet = fleet;
    }

    void apply(AsgAction action) {
        if (action instanceof AsgAction.Create c) {
            fleet.call("CreateAutoScalingGroup");
            if (fleet.groups.containsKey(c.asgName())) {
                throw FleetFaults.error("AlreadyExists", 400, "AutoScalingGroup by this name already exists");
            }
            InMemoryFleet.Group g = new InMemoryFleet.Group(c.asgName());
            size(g, c.min(), c.desired(), c.max(), c.launchTemplateId(), c.launchTemplateVersion(), c.subnetIds());
            g.tags.putAll(c.tags());
            g.targetGroups.addAll(c.targetGroupArns());
            if (c.gateLaunch()) {
                g.launchHooks.put(io.autoheal.fleet.LaunchGate.HOOK_NAME, io.autoheal.fleet.LaunchGate.HEARTBEAT_TIMEOUT);
            }
            if (c.drain()) {
                g.drainHooks.put(io.autoheal.fleet.DrainHook.HOOK_NAME, io.autoheal.fleet.LaunchGate.HEARTBEAT_TIMEOUT);
            }
            fleet.groups.put(g.name, g);
            return;
        }
        InMemoryFleet.Group g = existing(action);
        if (action instanceof AsgAction.Update u) {
            fleet.call("UpdateAutoScalingGroup");
            size(g, u.min(), u.desired(), u.max(), u.launchTemplateId(), u.launchTemplateVersion(), u.subnetIds());
        } else if (action instanceof AsgAction.Tag t) {
            fleet.call("CreateOrUpdateTags");
            g.tags.putAll(t.tags());
        } else if (action instanceof AsgAction.SuspendReplaceUnhealthy) {
            fleet.call("SuspendProcesses");
            g.suspended.add(InMemoryFleet.REPLACE_UNHEALTHY);
        } else if (action instanceof AsgAction.ResumeReplaceUnhealthy) {
            fleet.call("ResumeProcesses");
            g.suspended.remove(InMemoryFleet.REPLACE_UNHEALTHY);
        } else if (action instanceof AsgAction.PutLaunchHook h) {
            fleet.call("PutLifecycleHook");
            g.launchHooks.put(h.hookName(), h.heartbeatTimeout());
        } else if (action instanceof AsgAction.DeleteLaunchHook h) {
            fleet.call("DeleteLifecycleHook");
            g.launchHooks.remove(h.hookName());
        } else if (action instanceof AsgAction.PutDrainHook h) {
            fleet.call("PutLifecycleHook");
            g.drainHooks.put(h.hookName(), h.heartbeatTimeout());
        } else if (action instanceof AsgAction.DeleteDrainHook h) {
            fleet.call("DeleteLifecycleHook");
            g.drainHooks.remove(h.hookName()); // AWS answers the waiting machines CONTINUE: they leave
            g.members.entrySet().stream().filter(e -> "Terminating:Wait".equals(e.getValue().lifecycle)).map(java.util.Map.Entry::getKey)
                    .toList().forEach(id -> fleet.terminateWaiting(g, id));
        } else if (action instanceof AsgAction.AttachTargetGroups a) {
            fleet.call("AttachLoadBalancerTargetGroups");
            g.targetGroups.addAll(a.targetGroupArns());
        } else if (action instanceof AsgAction.DetachTargetGroups d) {
            fleet.call("DetachLoadBalancerTargetGroups");
            d.targetGroupArns().forEach(g.targetGroups::remove);
        } else if (action instanceof AsgAction.PutWarmPool w) {
            fleet.call("PutWarmPool");
            g.warmSize = w.size();
            g.warmState = w.poolState(); // the fleet's step() launches the spares
        } else if (action instanceof AsgAction.Untag u) {
            fleet.call("DeleteTags");
            u.keys().forEach(g.tags::remove);
        } else if (action instanceof AsgAction.DeleteWarmPool) {
            fleet.call("DeleteWarmPool");
            g.warmSize = null;
            java.util.List.copyOf(g.spares.keySet()).forEach(id -> fleet.dropSpareOf(g, id));
        } else if (action instanceof AsgAction.ScaleToZero) {
            fleet.call("UpdateAutoScalingGroup");
            g.min = 0;
            g.desired = 0; // the fleet's step() lets the excess go, through the drain hook when there is one
        } else {
            throw new IllegalArgumentException("unknown ASG action " + action);
        }
    }

    private InMemoryFleet.Group existing(AsgAction action) {
        InMemoryFleet.Group g = fleet.groups.get(action.asgName());
        if (g == null) {
            fleet.call(action.getClass().getSimpleName());
            throw FleetFaults.error("ValidationError", 400, "AutoScalingGroup name not found - " + action.asgName());
        }
        return g;
    }

    /** AWS checks min <= desired <= max on every create and update. */
    private static void size(InMemoryFleet.Group g, int min, int desired, int max, String templateId, String version, List<String> subnets) {
        if (min > desired || desired > max) {
            throw FleetFaults.error("ValidationError", 400, "Desired capacity:" + desired + " must be between the specified min size:"
                    + min + " and max size:" + max);
        }
        g.min = min;
        g.desired = desired;
        g.max = max;
        g.templateId = templateId;
        g.templateVersion = version;
        g.subnets = List.copyOf(subnets);
    }
}
