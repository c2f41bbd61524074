package io.autoheal.cluster;

import io.autoheal.fleet.Installations;
import io.autoheal.fleet.ObservedAsg;
import io.autoheal.fleet.Tags;
import io.autoheal.fleet.AsgAction;
import io.autoheal.fleet.DrainHook;
import io.autoheal.fleet.LaunchGate;
import io.autoheal.fleet.TargetGroupIds;
import io.autoheal.fleet.WarmPools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Pure: the actions that bring an observed ASG to the desired one. Empty when they already match. */
public final class AsgPlanner {
    public static final String LAUNCH_HOOK = LaunchGate.HOOK_NAME;
    /** The terminating hook of spec.drain (its DefaultResult CONTINUE: a machine the operator forgets still leaves). */
    public static final String DRAIN_HOOK = DrainHook.HOOK_NAME;
    /** AWS' maximum: the operator bounds each job by spec.bootstrap.timeout itself and then answers the hook. */
    public static final Duration HOOK_HEARTBEAT_TIMEOUT = LaunchGate.HEARTBEAT_TIMEOUT;
    static final String REPLACE_UNHEALTHY = "ReplaceUnhealthy";

    private AsgPlanner() {
    }

    /**
     * Outcome of a plan: the actions, or why nothing may be done.
     *
     * @param notices what the plan deliberately leaves alone and a person should know (a warm pool that is not ours)
     */
    public record Plan(List<AsgAction> actions, Optional<String> refusal, List<String> notices) {
        public Plan(List<AsgAction> actions, Optional<String> refusal) {
            this(actions, refusal, List.of());
        }

        static Plan refuse(String why) {
            return new Plan(List.of(), Optional.of(why));
        }
    }

    /**
     * @param adopt true when the spec names this ASG explicitly: an untagged group is then tagged as ours;
     *              otherwise a group with our name that is not tagged as ours is never touched.
     */
    public static Plan plan(DesiredAsg want, Optional<ObservedAsg> observed, String clusterKey, boolean adopt) {
        if (observed.isEmpty()) {
            if (adopt) {
                return Plan.refuse("Auto Scaling Group " + want.name() + " named in spec.autoScalingGroupName does not exist");
            }
            List<AsgAction> actions = new ArrayList<>();
            Map<String, String> tags = new TreeMap<>(want.tags());
            if (!want.targetGroupArns().isEmpty()) {
                tags.put(Tags.TARGET_GROUPS, TargetGroupIds.format(want.targetGroupArns()));
            }
            if (want.warmPool() != null) {
                tags.put(WarmPools.OWNER_TAG, installation(want)); // the mark comes with the group, before its pool
            }
            actions.add(new AsgAction.Create(want.name(), want.min(), want.desired(), want.max(),
                    want.launchTemplateId(), want.launchTemplateVersion(), want.subnetIds(), tags, want.gateLaunch(), want.drain(),
                    want.flexibility(), want.targetGroupArns()));
            if (want.exclusiveHealing()) {
                actions.add(new AsgAction.SuspendReplaceUnhealthy(want.name(), false));
            }
            actions.addAll(warmPool(want, Optional.empty()).actions());
            return new Plan(actions, Optional.empty());
        }
        ObservedAsg asg = observed.get();
        String owner = asg.tags().get(Tags.CLUSTER);
        // The installation comes with the desired tags (ClusterIdentity); a group no operator tagged yet may be adopted.
        String installation = installation(want);
        boolean neverTagged = owner == null && !asg.tags().containsKey(Tags.INSTALLATION);
        if (!neverTagged && !Installations.owns(installation, asg.tags())) {
            return Plan.refuse("Auto Scaling Group " + asg.name() + " belongs to installation " + Installations.of(asg.tags())
                    + ", not to this operator's installation " + installation + ": it is never touched");
        }
        if (owner != null && !owner.equals(clusterKey)) {
            return Plan.refuse("Auto Scaling Group " + asg.name() + " belongs to " + owner);
        }
        if (owner == null && !adopt) {
            return Plan.refuse("Auto Scaling Group " + asg.name() + " exists but is not tagged " + Tags.CLUSTER + "=" + clusterKey
                    + "; set spec.autoScalingGroupName to adopt it");
        }
        if (asg.deleting()) {
            return Plan.refuse("Auto Scaling Group " + asg.name() + " is being deleted");
        }
        List<AsgAction> actions = new ArrayList<>();
        Map<String, String> missingTags = new TreeMap<>();
        want.tags().forEach((k, v) -> {
            if (!v.equals(asg.tags().get(k))) {
                missingTags.put(k, v);
            }
        });
        TargetGroupChange targets = targetGroups(want, asg);
        if (!targets.tag().equals(asg.tags().getOrDefault(Tags.TARGET_GROUPS, ""))) {
            missingTags.put(Tags.TARGET_GROUPS, targets.tag()); // the intent, before the attachment it describes
        }
        if (!missingTags.isEmpty()) {
            actions.add(new AsgAction.Tag(asg.name(), missingTags));
        }
        if (!targets.attach().isEmpty()) {
            actions.add(new AsgAction.AttachTargetGroups(asg.name(), targets.attach()));
        }
        if (!targets.detach().isEmpty()) {
            actions.add(new AsgAction.DetachTargetGroups(asg.name(), targets.detach()));
        }
        boolean sizeDiffers = asg.min() != want.min() || asg.desired() != want.desired() || asg.max() != want.max();
        boolean templateDiffers = !want.launchTemplateId().equals(asg.launchTemplateId())
                || !want.launchTemplateVersion().equals(asg.launchTemplateVersion())
                || !want.flexibility().equals(asg.flexibility()); // the alternatives' order is part of what launches
        boolean subnetsDiffer = !want.subnetIds().stream().sorted().toList().equals(asg.subnetIds());
        if (sizeDiffers || templateDiffers || subnetsDiffer) {
            actions.add(new AsgAction.Update(asg.name(), want.min(), want.desired(), want.max(),
                    want.launchTemplateId(), want.launchTemplateVersion(), want.subnetIds(), want.flexibility()));
        }
        actions.addAll(processAndHookActions(want, observed));
        Plan warm = warmPool(want, observed);
        actions.addAll(warm.actions());
        return new Plan(actions, Optional.empty(), warm.notices());
    }

    private static String installation(DesiredAsg want) {
        return want.tags().getOrDefault(Tags.INSTALLATION, Installations.LEGACY);
    }

    /**
     * spec.warmPool converged: put when missing or different (size, state), after the group carries this installation's
     * {@link WarmPools#OWNER_TAG} mark; deleted when the spec has none — only a pool with that mark. A warm pool made by
     * hand (an adopted group's, say) is left alone with its spares, and said so; the mark goes once our pool is gone.
     * After the hooks: a new pool's first spares then already wait for their bootstrap.
     */
    static Plan warmPool(DesiredAsg want, Optional<ObservedAsg> observed) {
        var have = observed.map(ObservedAsg::warmPool).orElse(null);
        boolean marked = observed.map(a -> WarmPools.ours(installation(want), a.tags())).orElse(false);
        DesiredAsg.WarmPool w = want.warmPool();
        if (w == null) {
            if (have == null) {
                return new Plan(marked ? List.of(new AsgAction.Untag(want.name(), List.of(WarmPools.OWNER_TAG))) : List.of(), Optional.empty());
            }
            if (marked) {
                return new Plan(List.of(new AsgAction.DeleteWarmPool(want.name())), Optional.empty());
            }
            return new Plan(List.of(), Optional.empty(), List.of("Auto Scaling Group " + want.name() + " has a warm pool this operator did "
                    + "not make (no " + WarmPools.OWNER_TAG + "=" + installation(want) + " tag) and spec.warmPool is unset: the pool and its "
                    + have.spares().size() + " spare(s) are left alone. Set spec.warmPool to have the operator manage it"));
        }
        List<AsgAction> actions = new ArrayList<>();
        if (observed.isPresent() && !marked) {
            actions.add(new AsgAction.Tag(want.name(), Map.of(WarmPools.OWNER_TAG, installation(want)))); // intent before the pool
        }
        boolean same = have != null && have.minSize() == w.size() && Integer.valueOf(w.size()).equals(have.maxPrepared())
                && w.poolState().equals(have.poolState());
        if (!same) {
            actions.add(new AsgAction.PutWarmPool(want.name(), w.size(), w.poolState()));
        }
        return new Plan(actions, Optional.empty());
    }

    /** What to attach, what to detach, and the tag naming what the operator attached (what it attaches now, plus what it owned and is still attached). */
    record TargetGroupChange(List<String> attach, List<String> detach, String tag) {
    }

    /**
     * spec.health.targetGroupArns converged: the missing ones attached; a target group detached only when the
     * operator's tag says it attached it and the spec no longer lists it — one attached by hand (or by another tool)
     * stays attached.
     */
    static TargetGroupChange targetGroups(DesiredAsg want, ObservedAsg asg) {
        String owned = asg.tags().get(Tags.TARGET_GROUPS);
        List<String> attach = want.targetGroupArns().stream().filter(a -> !asg.targetGroupArns().contains(a)).sorted().toList();
        List<String> detach = asg.targetGroupArns().stream()
                .filter(a -> !want.targetGroupArns().contains(a) && TargetGroupIds.owned(owned, a)).sorted().toList();
        // Owned: what the operator attaches now, plus what it owned and is still attached (until detached). One the spec
        // lists but someone else attached is never tagged: removing it from the spec later must not detach it.
        List<String> named = new ArrayList<>(attach);
        asg.targetGroupArns().stream().filter(a -> TargetGroupIds.owned(owned, a)).forEach(named::add);
        return new TargetGroupChange(attach, detach, TargetGroupIds.format(named));
    }

    private static List<AsgAction> processAndHookActions(DesiredAsg want, Optional<ObservedAsg> observed) {
        List<AsgAction> actions = new ArrayList<>();
        boolean suspended = observed.map(a -> a.suspendedProcesses().contains(REPLACE_UNHEALTHY)).orElse(false);
        if (want.exclusiveHealing() && !suspended) {
            actions.add(new AsgAction.SuspendReplaceUnhealthy(want.name(), observed.isPresent()));
        } else if (!want.exclusiveHealing() && suspended) {
            actions.add(new AsgAction.ResumeReplaceUnhealthy(want.name()));
        }
        boolean hooked = observed.map(a -> a.launchHooks().contains(LAUNCH_HOOK)).orElse(false);
        if (want.gateLaunch() && !hooked) {
            actions.add(new AsgAction.PutLaunchHook(want.name(), LAUNCH_HOOK, HOOK_HEARTBEAT_TIMEOUT));
        } else if (!want.gateLaunch() && hooked) {
            actions.add(new AsgAction.DeleteLaunchHook(want.name(), LAUNCH_HOOK));
        }
        // A new group gets the drain hook at creation (Create carries it); an existing one when spec.drain appears.
        boolean drainHooked = observed.map(a -> a.launchHooks().contains(DRAIN_HOOK)).orElse(false);
        if (want.drain() && !drainHooked && observed.isPresent()) {
            actions.add(new AsgAction.PutDrainHook(want.name(), DRAIN_HOOK, HOOK_HEARTBEAT_TIMEOUT));
        } else if (!want.drain() && drainHooked) {
            actions.add(new AsgAction.DeleteDrainHook(want.name(), DRAIN_HOOK));
        }
        return actions;
    }
}
