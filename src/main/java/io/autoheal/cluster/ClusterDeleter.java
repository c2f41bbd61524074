package io.autoheal.cluster;

import io.autoheal.fleet.AwsScope;
import io.autoheal.api.v1alpha1.DeletionPolicy;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.bootstrap.BootstrapRunners;
import io.autoheal.fleet.ObservedAsg;
import io.autoheal.fleet.OrphanMarks;
import io.autoheal.fleet.Tags;
import io.autoheal.fleet.AsgAction;
import io.autoheal.fleet.GroupWrites;
import io.autoheal.fleet.InventoryReads;
import io.autoheal.cluster.launch.LaunchFailureReporter;
import io.autoheal.eip.OrphanedAddresses;
import io.autoheal.fleet.LaunchTemplateResolver;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import io.autoheal.metrics.ClusterMetrics;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Finalizer logic. Delete ({@link DrainingDelete}): scales the ASG to zero through its terminating hook (each machine
 * drained when spec.drain is set), deletes the empty group without force and then the owned launch template, and keeps
 * the finalizer until AWS no longer lists the group; force only with the annotation autoheal.io/force-delete. The
 * effective policy: {@link DeletionPlanner#effective} (unset: Orphan for an adopted group, Delete otherwise). Orphan:
 * leaves everything running as a plain ASG — removes the operator's launch hook, resumes the ReplaceUnhealthy process it
 * suspended, hands the machines' Elastic IPs over with them (OrphanedAddresses), then removes its ownership tag. An ASG
 * not tagged as this cluster's and this installation's is never touched.
 */
@ApplicationScoped
public class ClusterDeleter {
    static final long POLL_MILLIS = 3000;
    private final InventoryReads reader;
    private final GroupWrites asgWriter;
    private final LaunchTemplateResolver launchTemplates;
    private final EventRecorder events;
    private final ClusterMetrics metrics;
    private final BootstrapRunners runners;
    private final LaunchFailureReporter launches;
    private final OrphanedAddresses orphanedAddresses;
    private final ClusterIdentity identity;
    private final DrainingDelete draining;

    public ClusterDeleter(InventoryReads reader, GroupWrites asgWriter, LaunchTemplateResolver launchTemplates, EventRecorder events,
                          ClusterMetrics metrics, BootstrapRunners runners, LaunchFailureReporter launches,
                          OrphanedAddresses orphanedAddresses, ClusterIdentity identity, DrainingDelete draining) {
        this.orphanedAddresses = orphanedAddresses;
        this.identity = identity;
        this.draining = draining;
        this.launches = launches;
        this.runners = runners;
        this.reader = reader;
        this.asgWriter = asgWriter;
        this.launchTemplates = launchTemplates;
        this.events = events;
        this.metrics = metrics;
    }

    public DeleteControl delete(HealingCluster hc, AwsScope scope) {
        String asgName = identity.asgName(hc, scope);
        boolean orphan = DeletionPlanner.effective(hc.getSpec().deletionPolicy, hc.getSpec().autoScalingGroupName != null)
                == DeletionPolicy.Orphan;
        // hooks: the operator's own go with it when orphaning; a Delete lets go of a drain hook spec.drain no longer asks for
        Optional<ObservedAsg> asg = reader.describeGroup(scope, asgName, true).filter(a -> identity.owns(a, hc));
        if (orphan) {
            if (asg.isPresent() && !orphan(hc, scope, asg.get())) {
                return DeleteControl.noFinalizerRemoval().rescheduleAfter(POLL_MILLIS); // a tag did not read back: again
            }
            forget(hc);
            return DeleteControl.defaultDelete();
        }
        if (asg.isPresent()) {
            draining.step(hc, scope, asg.get()); // drains every machine, then deletes the empty group (DeletionPlanner)
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(POLL_MILLIS);
        }
        if (hc.getSpec().template != null && hc.getSpec().template.machine != null) {
            launchTemplates.deleteOwned(scope, ClusterNames.templateName(hc, asgName, identity.installation()), hc.ownerKey());
        }
        events.normal(hc, Reason.AsgDeleted, "Delete", "Auto Scaling Group " + asgName + " is gone");
        forget(hc);
        return DeleteControl.defaultDelete();
    }

    /**
     * Hands the group back as a plain ASG: without the operator nobody would complete its launch hook (every new
     * machine would wait, then be abandoned) or its terminating hook (every termination would wait for the timeout) and nobody would replace unhealthy machines. Each step is skipped once
     * done, so a retry after a failure repeats nothing; the ownership tag goes last, because the IAM policy allows
     * the other calls only on groups that carry it.
     */
    private boolean orphan(HealingCluster hc, AwsScope scope, ObservedAsg group) {
        String asgName = group.name();
        if (group.launchHooks().contains(AsgPlanner.LAUNCH_HOOK)) {
            asgWriter.apply(scope, new AsgAction.DeleteLaunchHook(asgName, AsgPlanner.LAUNCH_HOOK));
            events.normal(hc, Reason.AsgOrphaned, "DeleteLifecycleHook", "Removed the launch lifecycle hook "
                    + AsgPlanner.LAUNCH_HOOK + " from " + asgName + " (deletionPolicy Orphan): new machines go in service"
                    + " without waiting for a bootstrap");
        }
        if (group.launchHooks().contains(AsgPlanner.DRAIN_HOOK)) {
            // Deleting it answers the machines waiting at it with CONTINUE: they leave now instead of after the timeout.
            asgWriter.apply(scope, new AsgAction.DeleteDrainHook(asgName, AsgPlanner.DRAIN_HOOK));
            events.normal(hc, Reason.AsgOrphaned, "DeleteLifecycleHook", "Removed the terminating lifecycle hook "
                    + AsgPlanner.DRAIN_HOOK + " from " + asgName + " (deletionPolicy Orphan): terminations no longer wait for a drain");
        }
        // Only the operator suspends ReplaceUnhealthy on its groups (exclusiveHealing) and resumes it otherwise, so
        // a suspended one is the operator's doing; other suspended processes are someone else's and stay.
        if (group.suspendedProcesses().contains(AsgPlanner.REPLACE_UNHEALTHY)) {
            asgWriter.apply(scope, new AsgAction.ResumeReplaceUnhealthy(asgName));
            events.normal(hc, Reason.AsgOrphaned, "ResumeProcesses", "Resumed the ReplaceUnhealthy process of " + asgName
                    + " (deletionPolicy Orphan): the group replaces unhealthy machines itself again");
        }
        // The machines keep their addresses, which no pool claims any more; before the group's tag, so a retry repeats it.
        orphanedAddresses.handOver(hc, scope, group.members().stream().map(ObservedAsg.AsgMember::instanceId).toList());
        // Then the cluster tag goes from the machines, the template and the group (OrphanMarks), so that a cluster
        // created again under this name, and its pool, never take them as theirs; the group's last (IAM, above).
        String mark = OrphanMarks.value(identity.installation(), hc.ownerKey());
        java.util.Set<String> machines = new java.util.TreeSet<>();
        group.members().forEach(m -> machines.add(m.instanceId()));
        reader.clusterInstances(scope, List.of(hc.ownerKey())).stream()
                .filter(i -> !"terminated".equals(i.state()) && OrphanMarks.toRewrite(i.tags(), hc.ownerKey(), identity.installation()))
                .forEach(i -> machines.add(i.instanceId()));
        List<String> notRewritten = asgWriter.disownInstances(scope, List.copyOf(machines), hc.ownerKey(), mark).entrySet().stream()
                .filter(e -> !OrphanMarks.rewritten(e.getValue(), hc.ownerKey(), identity.installation())).map(java.util.Map.Entry::getKey).toList();
        if (!notRewritten.isEmpty()) {
            events.warning(hc, Reason.AsgOrphaned, "DeleteTags", "The " + Tags.CLUSTER + " tag of " + String.join(", ", notRewritten.subList(0, Math.min(10, notRewritten.size())))
                    + (notRewritten.size() > 10 ? " and " + (notRewritten.size() - 10) + " more" : "")
                    + " did not read back as removed; trying again");
            return false;
        }
        if (hc.getSpec().template != null && hc.getSpec().template.machine != null) {
            launchTemplates.disownOwned(scope, ClusterNames.templateName(hc, asgName, identity.installation()), hc.ownerKey(), mark);
        }
        asgWriter.apply(scope, new AsgAction.Tag(asgName, java.util.Map.of(Tags.ORPHANED_FROM, mark)));
        asgWriter.untag(scope, asgName, List.of(Tags.CLUSTER));
        events.normal(hc, Reason.AsgOrphaned, "Orphan", "Left Auto Scaling Group " + asgName + " running (deletionPolicy Orphan) with its "
                + machines.size() + " machine(s); removed the " + Tags.CLUSTER + " tag from the group, its machines and its launch template,"
                + " each marked " + Tags.ORPHANED_FROM + "=" + mark);
        return true;
    }

    /** The cluster's meters and its bootstrapper client (with its connection pool) go with it. */
    private void forget(HealingCluster hc) {
        metrics.forget(hc);
        runners.forget(hc);
        launches.forget(hc);
    }
}
