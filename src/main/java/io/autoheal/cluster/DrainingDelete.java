package io.autoheal.cluster;

import io.autoheal.fleet.AwsScope;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoheal.api.v1alpha1.DeletionPolicy;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterStatus;
import io.autoheal.api.v1alpha1.InstanceHealth;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.bootstrap.BootstrapRecord;
import io.autoheal.bootstrap.BootstrapRows;
import io.autoheal.bootstrap.ClusterDrainer;
import io.autoheal.fleet.ClusterObservation;
import io.autoheal.fleet.ObservedAsg;
import io.autoheal.fleet.ObservedInstance;
import io.autoheal.fleet.AsgAction;
import io.autoheal.fleet.CloudErrors;
import io.autoheal.fleet.GroupWrites;
import io.autoheal.fleet.InventoryReads;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.autoheal.fleet.CloudFailure;

/**
 * deletionPolicy Delete, one {@link DeletionPlanner} step per pass: the group is scaled to zero, every machine leaves
 * through the operator's terminating hook and is drained there by the same {@link ClusterDrainer} as in a
 * reconcile (a drain job per machine, its id tagged on the instance; status.instances carries the machine as Leaving,
 * which the drain waits for, and its drain record), and the empty group is deleted without force. Force (at once,
 * no drain) only with the annotation {@value DeletionPlanner#FORCE_ANNOTATION}.
 */
@ApplicationScoped
public class DrainingDelete {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);
    private final InventoryReads inventory;
    private final GroupWrites groups;
    private final ClusterDrainer drainer;
    private final EventRecorder events;
    private final CloudErrors errors;
    private final KubernetesClient client;
    private final Clock clock;

    public DrainingDelete(InventoryReads inventory, GroupWrites groups, ClusterDrainer drainer, EventRecorder events, CloudErrors errors,
                          KubernetesClient client, Clock clock) {
        this.inventory = inventory;
        this.groups = groups;
        this.drainer = drainer;
        this.events = events;
        this.errors = errors;
        this.client = client;
        this.clock = clock;
    }

    /** One step of deleting an owned group that exists (the finalizer stays: the caller looks again). */
    public DeletionPlanner.Plan step(HealingCluster hc, AwsScope scope, ObservedAsg group) {
        boolean force = DeletionPlanner.forced(hc.getMetadata().getAnnotations());
        DeletionPlanner.Plan plan = DeletionPlanner.plan(DeletionPolicy.Delete, Optional.of(group), true, force);
        String name = group.name();
        if (group.warmPool() != null && plan.step() != DeletionPlanner.Step.FORCE_DELETE && plan.step() != DeletionPlanner.Step.WAIT_DELETING) {
            deleteWarmPool(hc, scope, name);
        }
        switch (plan.step()) {
            case FORCE_DELETE -> {
                groups.delete(scope, name, true);
                events.warning(hc, Reason.Deleting, "DeleteAutoScalingGroup", "Force-deleting Auto Scaling Group " + name + " ("
                        + DeletionPlanner.FORCE_ANNOTATION + ": \"true\"): its " + plan.left()
                        + " machine(s) terminate at once, without the terminating hook or a drain");
            }
            case SCALE_TO_ZERO -> {
                groups.apply(scope, new AsgAction.ScaleToZero(name));
                events.normal(hc, Reason.Deleting, "UpdateAutoScalingGroup", "Deleting: scaling Auto Scaling Group " + name + " from "
                        + plan.left() + " machine(s) to 0; each leaves through the terminating hook"
                        + (hc.getSpec().drain != null ? " and is drained first (spec.drain)" : "") + ", then the empty group is deleted");
            }
            case DRAIN -> drain(hc, scope, group, plan.left());
            case DELETE_EMPTY -> {
                try {
                    groups.delete(scope, name, false);
                    events.normal(hc, Reason.Deleting, "DeleteAutoScalingGroup", "Deleting: every machine left; deleting the empty Auto "
                            + "Scaling Group " + name);
                } catch (CloudFailure e) {
                    // ResourceInUse / ScalingActivityInProgress: a machine or an activity is still on its way out
                    events.normal(hc, Reason.Deleting, "DeleteAutoScalingGroup", "Deleting: " + name + " is not ready to be deleted yet ("
                            + errors.describe(e) + "); trying again");
                }
            }
            default -> {
                // WAIT_DELETING: AWS is on it
            }
        }
        return plan;
    }

    /** Spares serve nothing and need no drain: the warm pool goes first, or AWS would refuse to delete the emptied group. */
    private void deleteWarmPool(HealingCluster hc, AwsScope scope, String name) {
        try {
            groups.apply(scope, new AsgAction.DeleteWarmPool(name));
            events.normal(hc, Reason.Deleting, "DeleteWarmPool", "Deleting: the warm pool of " + name + " and its spares go first");
        } catch (CloudFailure e) {
            // already being deleted (AWS answers so while its spares terminate): the next step looks again
            events.normal(hc, Reason.Deleting, "DeleteWarmPool", "Deleting: the warm pool of " + name + " is not gone yet ("
                    + errors.describe(e) + "); trying again");
        }
    }

    private void drain(HealingCluster hc, AwsScope scope, ObservedAsg group, int left) {
        ClusterObservation observed = inventory.observeCluster(scope, group.name(), true);
        if (hc.getSpec().drain == null && group.launchHooks().contains(AsgPlanner.DRAIN_HOOK)) {
            // no drain asked for, yet the hook holds the machines (spec.drain removed just before): let them go
            groups.apply(scope, new AsgAction.DeleteDrainHook(group.name(), AsgPlanner.DRAIN_HOOK));
        }
        HealingClusterStatus previous = hc.getStatus() == null ? new HealingClusterStatus() : hc.getStatus();
        ClusterDrainer.Result drained = drainer.run(hc, scope, observed, previous, clock.instant());
        List<InstanceStatus> rows = rows(observed, drained.records());
        int before = previous.instances == null ? -1 : previous.instances.size();
        if (!sameRows(previous.instances, rows)) {
            record(hc, rows);
        }
        if (before != left) {
            events.normal(hc, Reason.Deleting, "Drain", "Deleting: " + left + " machine(s) left in " + group.name()
                    + (hc.getSpec().drain != null ? " (each drained before it terminates)" : ""));
        }
    }

    /** Every machine of the group as Leaving, with its drain record: the drainer triggers a drain only once it shows. */
    static List<InstanceStatus> rows(ClusterObservation observed, Map<String, BootstrapRecord> drains) {
        List<InstanceStatus> rows = new ArrayList<>();
        for (ObservedAsg.AsgMember m : observed.asg().map(ObservedAsg::members).orElse(List.of())) {
            InstanceStatus row = new InstanceStatus();
            row.instanceId = m.instanceId();
            row.zone = m.zone();
            row.lifecycle = m.lifecycleState();
            ObservedInstance i = observed.instances().get(m.instanceId());
            row.state = i == null ? null : i.state();
            row.privateIp = i == null ? null : i.privateIp();
            row.health = InstanceHealth.Leaving;
            row.reason = "Deleting";
            BootstrapRecord d = drains.get(m.instanceId());
            row.drain = d == null ? null : BootstrapRows.toRow(d);
            rows.add(row);
        }
        return rows;
    }

    private static boolean sameRows(List<InstanceStatus> a, List<InstanceStatus> b) {
        return JSON.valueToTree(a == null ? List.of() : a).equals(JSON.valueToTree(b));
    }

    /** status.instances, as a merge patch of the status subresource (a deletion pass writes no other status). */
    protected void record(HealingCluster hc, List<InstanceStatus> rows) {
        String patch;
        try {
            patch = JSON.writeValueAsString(Map.of("status", Map.of("instances", rows)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the leaving machines", e);
        }
        HealingCluster written = client.resources(HealingCluster.class).inNamespace(hc.getMetadata().getNamespace())
                .withName(hc.getMetadata().getName()).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        if (written != null && written.getMetadata() != null) {
            hc.getMetadata().setResourceVersion(written.getMetadata().getResourceVersion());
        }
        if (hc.getStatus() != null) {
            hc.getStatus().instances = rows;
        }
    }
}
