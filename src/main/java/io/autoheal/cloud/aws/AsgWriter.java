package io.autoheal.cloud.aws;

import io.autoheal.fleet.AwsScope;
import io.autoheal.fleet.AsgAction;
import io.autoheal.fleet.DrainHook;
import io.autoheal.fleet.GroupWrites;
import io.autoheal.fleet.LaunchGate;
import io.autoheal.fleet.LifecycleActions;
import io.autoheal.fleet.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AlreadyExistsException;
import software.amazon.awssdk.services.autoscaling.model.LifecycleHookSpecification;
import software.amazon.awssdk.services.autoscaling.model.Tag;

/** Executes planned Auto Scaling actions. Every call is safe to repeat (creates tolerate "already exists"). */
@ApplicationScoped
public class AsgWriter implements GroupWrites, LifecycleActions {
    static final String REPLACE_UNHEALTHY = "ReplaceUnhealthy";
    static final String LAUNCHING = "autoscaling:EC2_INSTANCE_LAUNCHING";
    static final String TERMINATING = "autoscaling:EC2_INSTANCE_TERMINATING";
    private final AwsClients clients;
    private final FleetInventory inventory;

    public AsgWriter(AwsClients clients, FleetInventory inventory) {
        this.clients = clients;
        this.inventory = inventory;
    }

    @Override
    public void apply(AwsScope scope, AsgAction action) {
        AwsFailures.run(() -> applyInAws(scope, action));
    }

    private void applyInAws(AwsScope scope, AsgAction action) {
        // Stale first: even a write whose answer is lost may have changed the group.
        inventory.groupChanged(scope, action.asgName());
        AutoScalingClient as = clients.autoScaling(scope);
        if (action instanceof AsgAction.Create c) {
            create(as, c);
        } else if (action instanceof AsgAction.Update u) {
            as.updateAutoScalingGroup(b -> MixedInstances.launch(b.autoScalingGroupName(u.asgName())
                    .minSize(u.min()).maxSize(u.max()).desiredCapacity(u.desired())
                    .vpcZoneIdentifier(String.join(",", u.subnetIds())), u.launchTemplateId(), u.launchTemplateVersion(), u.flexibility()));
        } else if (action instanceof AsgAction.Tag t) {
            as.createOrUpdateTags(b -> b.tags(tags(t.asgName(), t.tags())));
        } else if (action instanceof AsgAction.SuspendReplaceUnhealthy) {
            as.suspendProcesses(b -> b.autoScalingGroupName(action.asgName()).scalingProcesses(REPLACE_UNHEALTHY));
        } else if (action instanceof AsgAction.ResumeReplaceUnhealthy) {
            as.resumeProcesses(b -> b.autoScalingGroupName(action.asgName()).scalingProcesses(REPLACE_UNHEALTHY));
        } else if (action instanceof AsgAction.PutLaunchHook h) {
            as.putLifecycleHook(b -> b.autoScalingGroupName(h.asgName())
                    .lifecycleHookName(h.hookName()).lifecycleTransition(LAUNCHING)
                    .heartbeatTimeout((int) h.heartbeatTimeout().toSeconds()).defaultResult("ABANDON"));
        } else if (action instanceof AsgAction.DeleteLaunchHook h) {
            as.deleteLifecycleHook(b -> b.autoScalingGroupName(h.asgName()).lifecycleHookName(h.hookName()));
        } else if (action instanceof AsgAction.PutDrainHook h) {
            as.putLifecycleHook(drainHook(h.asgName()));
        } else if (action instanceof AsgAction.DeleteDrainHook h) {
            // AWS completes machines waiting at it with CONTINUE: they terminate.
            as.deleteLifecycleHook(b -> b.autoScalingGroupName(h.asgName()).lifecycleHookName(h.hookName()));
        } else if (action instanceof AsgAction.AttachTargetGroups a) {
            // AttachTrafficSources is the newer call; this one is what every region (and moto) has. Repeating it is harmless.
            as.attachLoadBalancerTargetGroups(b -> b.autoScalingGroupName(a.asgName()).targetGroupARNs(a.targetGroupArns()));
        } else if (action instanceof AsgAction.DetachTargetGroups d) {
            as.detachLoadBalancerTargetGroups(b -> b.autoScalingGroupName(d.asgName()).targetGroupARNs(d.targetGroupArns()));
        } else if (action instanceof AsgAction.PutWarmPool w) {
            as.putWarmPool(b -> b.autoScalingGroupName(w.asgName()).minSize(w.size()).maxGroupPreparedCapacity(w.size())
                    .poolState(w.poolState()));
        } else if (action instanceof AsgAction.DeleteWarmPool w) {
            as.deleteWarmPool(b -> b.autoScalingGroupName(w.asgName()).forceDelete(true));
        } else if (action instanceof AsgAction.Untag u) {
            untag(scope, u.asgName(), u.keys());
        } else if (action instanceof AsgAction.ScaleToZero z) {
            as.updateAutoScalingGroup(b -> b.autoScalingGroupName(z.asgName()).minSize(0).desiredCapacity(0));
        } else {
            throw new IllegalArgumentException("unknown ASG action " + action);
        }
    }

    private static void create(AutoScalingClient as, AsgAction.Create c) {
        try {
            as.createAutoScalingGroup(b -> MixedInstances.launch(b.autoScalingGroupName(c.asgName())
                    .minSize(c.min()).maxSize(c.max()).desiredCapacity(c.desired()), c.launchTemplateId(), c.launchTemplateVersion(),
                    c.flexibility())
                    .vpcZoneIdentifier(String.join(",", c.subnetIds()))
                    .tags(tags(c.asgName(), c.tags()))
                    .targetGroupARNs(c.targetGroupArns().isEmpty() ? null : c.targetGroupArns())
                    // The hook must exist before the first launch, or the first machines skip the bootstrap gate.
                    .lifecycleHookSpecificationList(hooksAtCreation(c)));
        } catch (AlreadyExistsException e) {
            // Created by an earlier attempt whose answer was lost: the next observation adopts it by its tags.
        }
    }

    /** Replace one instance: the ASG launches a new one because desired capacity stays the same. */
    @Override
    public void replaceInstance(AwsScope scope, String instanceId) {
        AwsFailures.run(() -> replaceInstanceInAws(scope, instanceId));
    }

    private void replaceInstanceInAws(AwsScope scope, String instanceId) {
        inventory.instanceChanged(scope, instanceId);
        clients.autoScaling(scope).terminateInstanceInAutoScalingGroup(b -> b.instanceId(instanceId)
                .shouldDecrementDesiredCapacity(false));
    }

    /** Ends a machine's launch gate: CONTINUE puts it in service, ABANDON terminates it (the ASG replaces it). */
    @Override
    public void completeLaunch(AwsScope scope, String asgName, String instanceId, boolean proceed) {
        AwsFailures.run(() -> completeLaunchInAws(scope, asgName, instanceId, proceed));
    }

    private void completeLaunchInAws(AwsScope scope, String asgName, String instanceId, boolean proceed) {
        inventory.groupChanged(scope, asgName);
        clients.autoScaling(scope).completeLifecycleAction(b -> b.autoScalingGroupName(asgName)
                .lifecycleHookName(LaunchGate.HOOK_NAME).instanceId(instanceId)
                .lifecycleActionResult(proceed ? "CONTINUE" : "ABANDON"));
    }

    /** Keeps a machine in Pending:Wait while its bootstrap job runs longer than the hook's heartbeat timeout. */
    @Override
    public void heartbeat(AwsScope scope, String asgName, String instanceId) {
        AwsFailures.run(() -> heartbeatInAws(scope, asgName, instanceId));
    }

    private void heartbeatInAws(AwsScope scope, String asgName, String instanceId) {
        clients.autoScaling(scope).recordLifecycleActionHeartbeat(b -> b.autoScalingGroupName(asgName)
                .lifecycleHookName(LaunchGate.HOOK_NAME).instanceId(instanceId));
    }

    /** Deletes the group (force: with its instances, at once). Repeating it while deletion runs is harmless. */
    @Override
    public void delete(AwsScope scope, String asgName, boolean force) {
        AwsFailures.run(() -> deleteInAws(scope, asgName, force));
    }

    private void deleteInAws(AwsScope scope, String asgName, boolean force) {
        inventory.groupChanged(scope, asgName);
        clients.autoScaling(scope).deleteAutoScalingGroup(b -> b.autoScalingGroupName(asgName).forceDelete(force));
    }

    /** Orphaning: the group stays, but no longer claims to be managed by the operator. */
    @Override
    public void untag(AwsScope scope, String asgName, List<String> keys) {
        AwsFailures.run(() -> untagInAws(scope, asgName, keys));
    }

    private void untagInAws(AwsScope scope, String asgName, List<String> keys) {
        inventory.groupChanged(scope, asgName);
        clients.autoScaling(scope).deleteTags(b -> b.tags(keys.stream().map(k -> Tag.builder()
                .resourceType("auto-scaling-group").resourceId(asgName).key(k).build()).toList()));
    }

    @Override
    public Map<String, Map<String, String>> disownInstances(AwsScope scope, List<String> instanceIds, String clusterKey, String orphanedFrom) {
        return AwsFailures.call(() -> disownInAws(scope, instanceIds, clusterKey, orphanedFrom));
    }

    private Map<String, Map<String, String>> disownInAws(AwsScope scope, List<String> instanceIds, String clusterKey, String orphanedFrom) {
        Map<String, Map<String, String>> readBack = new java.util.TreeMap<>();
        var ec2 = clients.ec2(scope);
        for (int from = 0; from < instanceIds.size(); from += 500) { // CreateTags/DeleteTags take up to 1,000 resources
            List<String> ids = instanceIds.subList(from, Math.min(instanceIds.size(), from + 500));
            ids.forEach(id -> inventory.instanceChanged(scope, id));
            ec2.createTags(b -> b.resources(ids).tags(t -> t.key(Tags.ORPHANED_FROM).value(orphanedFrom)));
            ec2.deleteTags(b -> b.resources(ids).tags(t -> t.key(Tags.CLUSTER).value(clusterKey)));
            ec2.describeInstancesPaginator(b -> b.instanceIds(ids)).reservations().forEach(r -> r.instances().forEach(i -> {
                Map<String, String> tags = new java.util.HashMap<>();
                i.tags().forEach(t -> tags.put(t.key(), t.value()));
                readBack.put(i.instanceId(), tags);
            }));
        }
        return readBack;
    }

    /** No staleness mark, as before the port: the job tag is read back from the instance by the next poll. */
    @Override
    public void tagInstance(AwsScope scope, String instanceId, String key, String value) {
        AwsFailures.run(() -> clients.ec2(scope).createTags(b -> b.resources(instanceId).tags(tag -> tag.key(key).value(value))));
    }

    /** Changes the group's desired capacity (a surge); honours no cooldown, as the operator's own decision. */
    @Override
    public void setDesired(AwsScope scope, String asgName, int desired) {
        AwsFailures.run(() -> setDesiredInAws(scope, asgName, desired));
    }

    private void setDesiredInAws(AwsScope scope, String asgName, int desired) {
        inventory.groupChanged(scope, asgName);
        clients.autoScaling(scope).setDesiredCapacity(b -> b.autoScalingGroupName(asgName).desiredCapacity(desired).honorCooldown(false));
    }

    /** A machine chosen to leave: terminated in its group and the desired capacity lowered with it (no successor). */
    @Override
    public void removeInstance(AwsScope scope, String instanceId) {
        AwsFailures.run(() -> removeInstanceInAws(scope, instanceId));
    }

    private void removeInstanceInAws(AwsScope scope, String instanceId) {
        inventory.instanceChanged(scope, instanceId);
        clients.autoScaling(scope).terminateInstanceInAutoScalingGroup(b -> b.instanceId(instanceId)
                .shouldDecrementDesiredCapacity(true));
    }

    /** Ends a machine's wait in Terminating:Wait: it terminates (for a terminating hook CONTINUE and ABANDON both do). */
    @Override
    public void completeDrain(AwsScope scope, String asgName, String instanceId) {
        AwsFailures.run(() -> completeDrainInAws(scope, asgName, instanceId));
    }

    private void completeDrainInAws(AwsScope scope, String asgName, String instanceId) {
        inventory.groupChanged(scope, asgName);
        clients.autoScaling(scope).completeLifecycleAction(b -> b.autoScalingGroupName(asgName)
                .lifecycleHookName(DrainHook.HOOK_NAME).instanceId(instanceId).lifecycleActionResult("CONTINUE"));
    }

    /** Keeps a machine in Terminating:Wait while its drain runs (or is kept) longer than the hook's heartbeat timeout. */
    @Override
    public void drainHeartbeat(AwsScope scope, String asgName, String instanceId) {
        AwsFailures.run(() -> drainHeartbeatInAws(scope, asgName, instanceId));
    }

    private void drainHeartbeatInAws(AwsScope scope, String asgName, String instanceId) {
        clients.autoScaling(scope).recordLifecycleActionHeartbeat(b -> b.autoScalingGroupName(asgName)
                .lifecycleHookName(DrainHook.HOOK_NAME).instanceId(instanceId));
    }

    private static List<LifecycleHookSpecification> hooksAtCreation(AsgAction.Create c) {
        List<LifecycleHookSpecification> hooks = new java.util.ArrayList<>();
        if (c.gateLaunch()) {
            hooks.add(launchHook());
        }
        if (c.drain()) {
            hooks.add(LifecycleHookSpecification.builder().lifecycleHookName(DrainHook.HOOK_NAME).lifecycleTransition(TERMINATING)
                    .heartbeatTimeout((int) DrainHook.HEARTBEAT_TIMEOUT.toSeconds()).defaultResult(DrainHook.DEFAULT_RESULT).build());
        }
        return hooks;
    }

    private static software.amazon.awssdk.services.autoscaling.model.PutLifecycleHookRequest drainHook(String asgName) {
        return software.amazon.awssdk.services.autoscaling.model.PutLifecycleHookRequest.builder().autoScalingGroupName(asgName)
                .lifecycleHookName(DrainHook.HOOK_NAME).lifecycleTransition(TERMINATING)
                .heartbeatTimeout((int) DrainHook.HEARTBEAT_TIMEOUT.toSeconds()).defaultResult(DrainHook.DEFAULT_RESULT).build();
    }

    private static LifecycleHookSpecification launchHook() {
        return LifecycleHookSpecification.builder().lifecycleHookName(LaunchGate.HOOK_NAME).lifecycleTransition(LAUNCHING)
                .heartbeatTimeout((int) LaunchGate.HEARTBEAT_TIMEOUT.toSeconds()).defaultResult("ABANDON").build();
    }

    private static List<Tag> tags(String asgName, Map<String, String> tags) {
        return tags.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> Tag.builder()
                .resourceType("auto-scaling-group").resourceId(asgName)
                .key(e.getKey()).value(e.getValue()).propagateAtLaunch(true).build()).toList();
    }
}
