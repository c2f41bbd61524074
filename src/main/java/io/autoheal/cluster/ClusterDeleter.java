package io.autoheal.cluster;

import io.autoheal.api.v1alpha1.DeletionPolicy;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.bootstrap.BootstrapRunners;
import io.autoheal.cloud.ObservedAsg;
import io.autoheal.cloud.Tags;
import io.autoheal.cloud.aws.AsgWriter;
import io.autoheal.cloud.aws.AwsFleetReader;
import io.autoheal.cloud.aws.LaunchTemplates;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import io.autoheal.metrics.ClusterMetrics;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Finalizer logic. Delete: deletes the ASG (force, with its instances) and the owned launch template, and keeps
 * the finalizer until AWS no longer lists the group. Orphan: removes our ownership tag and leaves everything
 * running. An ASG not tagged as ours is never touched.
 */
@ApplicationScoped
public class ClusterDeleter {
    static final long POLL_MILLIS = 3000;
    private final AwsFleetReader reader;
    private final AsgWriter asgWriter;
    private final LaunchTemplates launchTemplates;
    private final EventRecorder events;
    private final ClusterMetrics metrics;
    private final BootstrapRunners runners;

    public ClusterDeleter(AwsFleetReader reader, AsgWriter asgWriter, LaunchTemplates launchTemplates, EventRecorder events,
                          ClusterMetrics metrics, BootstrapRunners runners) {
        this.runners = runners;
        this.reader = reader;
        this.asgWriter = asgWriter;
        this.launchTemplates = launchTemplates;
        this.events = events;
        this.metrics = metrics;
    }

    public DeleteControl delete(HealingCluster hc, String region) {
        String asgName = ClusterNames.asgName(hc);
        Optional<ObservedAsg> asg = reader.describeAsg(region, asgName, false).filter(a -> a.ownedBy(hc.ownerKey()));
        boolean orphan = hc.getSpec().deletionPolicy == DeletionPolicy.Orphan;
        if (orphan) {
            if (asg.isPresent()) {
                asgWriter.untag(region, asgName, List.of(Tags.CLUSTER));
                events.normal(hc, Reason.AsgOrphaned, "Orphan", "Left Auto Scaling Group " + asgName
                        + " running (deletionPolicy Orphan) and removed its " + Tags.CLUSTER + " tag");
            }
            forget(hc);
            return DeleteControl.defaultDelete();
        }
        if (asg.isPresent()) {
            if (!asg.get().deleting()) {
                asgWriter.delete(region, asgName);
                events.normal(hc, Reason.Deleting, "DeleteAutoScalingGroup", "Deleting Auto Scaling Group " + asgName + " and its instances");
            }
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(POLL_MILLIS);
        }
        if (hc.getSpec().template != null && hc.getSpec().template.machine != null) {
            launchTemplates.deleteOwned(region, ClusterNames.ownedName(hc), hc.ownerKey());
        }
        events.normal(hc, Reason.AsgDeleted, "Delete", "Auto Scaling Group " + asgName + " is gone");
        forget(hc);
        return DeleteControl.defaultDelete();
    }

    /** The cluster's meters and its bootstrapper client (with its connection pool) go with it. */
    private void forget(HealingCluster hc) {
        metrics.forget(hc);
        runners.forget(hc);
    }
}
