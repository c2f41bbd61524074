package io.autoheal.cloud.aws;

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
    public void apply(String region, AsgAction action) {
        AwsFailures.run(() -> applyInAws(region, action));
    }

    private void applyInAws(String region, AsgAction action) {
        // Stale first: even a write whose answer is lost may have changed the group.
        inventory.groupChanged(region, action.asgName());
        AutoScalingClient as = clients.autoScaling(region);
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
    public void replaceInstance(String region, String instanceId) {
        AwsFailures.run(() -> replaceInstanceInAws(region, instanceId));
    }

    private void replaceInstanceInAws(String region, String instanceId) {
        inventory.instanceChanged(region, instanceId);
        clients.autoScaling(region).terminateInstanceInAutoScalingGroup(b -> b.instanceId(instanceId)
                .shouldDecrementDesiredCapacity(false));
    }

    /** Ends a machine's launch gate: CONTINUE puts it in service, ABANDON terminates it (the ASG replaces it). */
    @Override
    public void completeLaunch(String region, String asgName, String instanceId, boolean proceed) {
        AwsFailures.run(() -> completeLaunchInAws(region, asgName, instanceId, proceed));
    }

    private void completeLaunchInAws(String region, String asgName, String instanceId, boolean proceed) {
        inventory.groupChanged(region, asgName);
        clients.autoScaling(region).completeLifecycleAction(b -> b.autoScalingGroupName(asgName)
                .lifecycleHookName(LaunchGate.HOOK_NAME).instanceId(instanceId)
                .lifecycleActionResult(proceed ? "CONTINUE" : "ABANDON"));
    }

    /** Keeps a machine in Pending:Wait while its bootstrap job runs longer than the hook's heartbeat timeout. */
    @Override
    public void heartbeat(String region, String asgName, String instanceId) {
        AwsFailures.run(() -> heartbeatInAws(region, asgName, instanceId));
    }

    private void heartbeatInAws(String region, String asgName, String instanceId) {
        clients.autoScaling(region).recordLifecycleActionHeartbeat(b -> b.autoScalingGroupName(asgName)
                .lifecycleHookName(LaunchGate.HOOK_NAME).instanceId(instanceId));
    }

    /** Deletes the group (force: with its instances, at once). Repeating it while deletion runs is harmless. */
    @Override
    public void delete(String region, String asgName, boolean force) {
        AwsFailures.run(() -> deleteInAws(region, asgName, force));
    }

    private void deleteInAws(String region, String asgName, boolean force) {
        inventory.groupChanged(region, asgName);
        clients.autoScaling(region).deleteAutoScalingGroup(b -> b.autoScalingGroupName(asgName).forceDelete(force));
    }

    /** Orphaning: the group stays, but no longer claims to be managed by the operator. */
    @Override
    public void untag(String region, String asgName, List<String> keys) {
        AwsFailures.run(() -> untagInAws(region, asgName, keys));
    }

    private void untagInAws(String region, String asgName, List<String> keys) {
        inventory.groupChanged(region, asgName);
        clients.autoScaling(region).deleteTags(b -> b.tags(keys.stream().map(k -> Tag.builder()
                .resourceType("auto-scaling-group").resourceId(asgName).key(k).build()).toList()));
    }

    @Override
    public Map<String, Map<String, String>> disownInstances(String region, List<String> instanceIds, String clusterKey, String orphanedFrom) {
        return AwsFailures.call(() -> disownInAws(region, instanceIds, clusterKey, orphanedFrom));
    }

    private Map<String, Map<String, String>> disownInAws(String region, List<String> instanceIds, String clusterKey, String orphanedFrom) {
        Map<String, Map<String, String>> readBack = new java.util.TreeMap<>();
        var ec2 = clients.ec2(region);
        for (int from = 0; from < instanceIds.size(); from += 500) { // CreateTags/DeleteTags take up to 1,000 resources
            List<String> ids = instanceIds.subList(from, Math.min(instanceIds.size(), from + 500));
            ids.forEach(id -> inventory.instanceChanged(region, id));
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
    public void tagInstance(String region, String instanceId, String key, String value) {
        AwsFailures.run(() -> clients.ec2(region).createTags(b -> b.resources(instanceId).tags(tag -> tag.key(key).value(value))));
    }

    /** Changes the group's desired capacity (a surge); honours no cooldown, as the operator's own decision. */
    @Override
    public void setDesired(String region, String asgName, int desired) {
        AwsFailures.run(() -> setDesiredInAws(region, asgName, desired));
    }

    private void setDesiredInAws(String region, String asgName, int desired) {
        inventory.groupChanged(region, asgName);
        clients.autoScaling(region).setDesiredCapacity(b -> b.autoScalingGroupName(asgName).desiredCapacity(desired).honorCooldown(false));
    }

    /** A machine chosen to leave: terminated in its group and the desired capacity lowered with it (no successor). */
    @Override
    public void removeInstance(String region, String instanceId) {
        AwsFailures.run(() -> removeInstanceInAws(region, instanceId));
    }

    private void removeInstanceInAws(String region, String instanceId) {
        inventory.instanceChanged(region, instanceId);
        clients.autoScaling(region).terminateInstanceInAutoScalingGroup(b -> b.instanceId(instanceId)
                .shouldDecrementDesiredCapacity(true));
    }

    /** Ends a machine's wait in Terminating:Wait: it terminates (for a terminating hook CONTINUE and ABANDON both do). */
    @Override
    public void completeDrain(String region, String asgName, String instanceId) {
        AwsFailures.run(() -> completeDrainInAws(region, asgName, instanceId));
    }

    private void completeDrainInAws(String region, String asgName, String instanceId) {
        inventory.groupChanged(region, asgName);
        clients.autoScaling(region).completeLifecycleAction(b -> b.autoScalingGroupName(asgName)
                .lifecycleHookName(DrainHook.HOOK_NAME).instanceId(instanceId).lifecycleActionResult("CONTINUE"));
    }

    /** Keeps a machine in Terminating:Wait while its drain runs (or is kept) longer than the hook's heartbeat timeout. */
    @Override
    public void drainHeartbeat(String region, String asgName, String instanceId) {
        AwsFailures.run(() -> drainHeartbeatInAws(region, asgName, instanceId));
    }

    private void drainHeartbeatInAws(String region, String asgName, String instanceId) {
        clients.autoScaling(region).recordLifecycleActionHeartbeat(b -> b.autoScalingGroupName(asgName)
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
