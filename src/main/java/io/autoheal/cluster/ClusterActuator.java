package io.autoheal.cluster;

import io.autoheal.fleet.AwsScope;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterSpec;
import io.autoheal.api.v1alpha1.HealingClusterStatus;
import io.autoheal.bootstrap.ClusterBootstrapper;
import io.autoheal.bootstrap.ClusterDrainer;
import io.autoheal.cluster.healing.Machine;
import io.autoheal.cluster.plan.ClusterPass;
import io.autoheal.cluster.plan.ClusterPlan;
import io.autoheal.cluster.plan.ClusterPlanner;
import io.autoheal.fleet.AsgAction;
import io.autoheal.fleet.CloudErrors;
import io.autoheal.fleet.CloudFailure;
import io.autoheal.fleet.GroupWrites;
import io.autoheal.fleet.InventoryReads;
import io.autoheal.fleet.LaunchTemplateResolver;
import io.autoheal.fleet.ClusterObservation;
import io.autoheal.fleet.Tags;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One cluster pass below the reconciler: observe (AWS, batched; the group's shape planned by {@link AsgPlanner} and
 * written first, since every machine decision reads the group it leaves behind), the bootstrap and drain adapters'
 * results as observations, one pure {@link ClusterPlanner#plan} over the {@link ClusterPass}, then the
 * {@link PlanExecutor}. Cloud failures of the pass are classified in one place ({@link #failed}).
 */
@ApplicationScoped
public class ClusterActuator {
    private final InventoryReads inventory;
    private final GroupWrites asgWriter;
    private final LaunchTemplateResolver launchTemplates;
    private final EventRecorder events;
    private final ClusterObserver observer;
    private final PlanExecutor executor;
    private final ClusterBootstrapper bootstrapper;
    private final ClusterWakeups wakeups;
    private final ClusterDrainer drainer;
    private final CloudErrors errors;
    private final ClusterIdentity identity;
    private final io.autoheal.cluster.warm.WarmPoolNotices warmNotices;

    public ClusterActuator(InventoryReads inventory, GroupWrites asgWriter, LaunchTemplateResolver launchTemplates, EventRecorder events,
                           ClusterObserver observer, PlanExecutor executor, ClusterBootstrapper bootstrapper, ClusterWakeups wakeups,
                           ClusterDrainer drainer, CloudErrors errors, ClusterIdentity identity) {
        this.identity = identity;
        this.warmNotices = new io.autoheal.cluster.warm.WarmPoolNotices(events);
        this.wakeups = wakeups;
        this.drainer = drainer;
        this.errors = errors;
        this.bootstrapper = bootstrapper;
        this.inventory = inventory;
        this.asgWriter = asgWriter;
        this.launchTemplates = launchTemplates;
        this.events = events;
        this.observer = observer;
        this.executor = executor;
    }

    /** A refusal only a person can fix (spec, IAM policy, someone else's template): a condition, retried slowly. */
    public static class BadInputException extends RuntimeException {
        private final Reason reason;

        BadInputException(Reason reason, String message, Throwable cause) {
            super(message, cause);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    /** A new group is not created while {@link ClusterReferences.Resolved#creationProblem} lasts (it is reported instead). */
    public static class NotBuiltException extends BadInputException {
        NotBuiltException(ClusterReferences.Problem problem) {
            super(problem.reason(), problem.message(), null);
        }
    }

    /**
     * What one pass observed and decided.
     *
     * @param plan empty when the group is not ours to act on (refusal)
     */
    public record Outcome(String asgName, String launchTemplateId, ClusterObservation observation, List<AsgAction> actions,
                          Optional<String> refusal, Optional<ClusterPlan> plan, ClusterBootstrapper.Result bootstrap,
                          ClusterDrainer.Result drain, Optional<Instant> nextCheck) {

        public Duration nextCheckIn(Instant now, Duration resync) {
            return Requeue.delay(nextCheck, now, resync);
        }
    }

    /**
     * @param refs what the spec refers to: a bootstrap problem stops bootstraps (their records are carried; machines
     *             waiting for one are {@link Machine.Bootstrap#BLOCKED}) and the creation of a new group, never healing
     */
    public Outcome converge(HealingCluster hc, HealingClusterStatus previous, AwsScope scope, ClusterReferences.Resolved refs, Instant now) {
        HealingClusterSpec spec = hc.getSpec();
        String asgName = identity.asgName(hc, scope);
        boolean gateLaunch = spec.bootstrap != null && spec.bootstrap.gateLaunch;
        boolean hooked = gateLaunch || spec.drain != null; // our hooks are re-read now and then (one removed by hand comes back)
        try {
            ClusterObservation observed = inventory.observeCluster(scope, asgName, hooked);
            if (spec.paused) {
                // Observe and report only: bootstrap and healing classify but act on nothing while paused, and the
                // bootstrap records (attempts, phases) are carried, not lost.
                ClusterBootstrapper.Result bootstrap = bootstrap(hc, scope, observed, previous, refs, now);
                ClusterDrainer.Result drain = drainer.run(hc, scope, observed, previous, now);
                ClusterPlan plan = ClusterPlanner.plan(observer.pass(hc, previous, observed, bootstrap, refs, null, now));
                executor.execute(hc, scope, asgName, plan);
                return new Outcome(asgName, observed.asg().map(a -> a.launchTemplateId()).orElse(null), observed, List.of(),
                        Optional.empty(), Optional.of(plan), bootstrap, drain, Optional.empty());
            }
            if (observed.asg().isEmpty() && refs.creationProblem().isPresent()) {
                throw new NotBuiltException(refs.creationProblem().get());
            }
            LaunchTemplateResolver.Resolved template = resolveTemplate(hc, scope, asgName);
            // A group above spec.capacity.desired (a surge, a scale-in) is held: the excess leaves by the operator's choice.
            int groupDesired = io.autoheal.cluster.healing.CapacityDecider.held(spec.capacity.desired, spec.capacity.max,
                    observed.asg().map(a -> a.desired()).orElse(null));
            DesiredAsg desired = DesiredAsg.builder(asgName)
                    .capacity(spec.capacity.min, groupDesired, spec.capacity.max)
                    // a failed rollout with onFailure Rollback launches from the stable version (spec.rollout)
                    .template(template.id(), io.autoheal.cluster.plan.RolloutTracker.launchVersion(io.autoheal.cluster.plan.RolloutPolicy.of(
                            spec.rollout, null, hc.getMetadata().getGeneration()), previous.rollout, template.version()),
                            FlexibleMachine.flexibility(spec.template))
                    .subnetIds(spec.subnetIds)
                    .tags(identity.tags(hc))
                    .exclusiveHealing(spec.health == null || spec.health.exclusiveHealing)
                    .gateLaunch(gateLaunch)
                    .drain(spec.drain != null)
                    .targetGroupArns(spec.health == null ? List.of() : spec.health.targetGroupArns)
                    .warmPool(spec.warmPool == null ? null : new DesiredAsg.WarmPool(spec.warmPool.size,
                            java.util.Objects.requireNonNullElse(spec.warmPool.state, io.autoheal.api.v1alpha1.WarmPoolState.Stopped).name()))
                    .build();
            AsgPlanner.Plan group = AsgPlanner.plan(desired, observed.asg(), hc.ownerKey(), spec.autoScalingGroupName != null);
            if (group.refusal().isPresent()) {
                return new Outcome(asgName, template.id(), observed, List.of(), group.refusal(), Optional.empty(),
                        ClusterBootstrapper.Result.none(), ClusterDrainer.Result.none(), Optional.empty());
            }
            for (AsgAction action : group.actions()) {
                asgWriter.apply(scope, action);
                announce(hc, action);
            }
            if (!group.actions().isEmpty()) {
                observed = inventory.observeCluster(scope, asgName, hooked); // re-read: the writer marked the group stale
            }
            warmNotices.pass(hc, group.notices(), observed.asg().orElse(null));
            // Bootstrap and drain act in their own adapters; their results are observations the plan reads.
            ClusterBootstrapper.Result bootstrap = bootstrap(hc, scope, observed, previous, refs, now);
            ClusterDrainer.Result drain = drainer.run(hc, scope, observed, previous, now);
            ClusterPass pass = observer.pass(hc, previous, observed, bootstrap, refs, template.version(), now);
            ClusterPlan plan = ClusterPlanner.plan(pass);
            executor.execute(hc, scope, asgName, plan);
            Instant base = Requeue.nextCheck(plan.healing().nextCheck(), bootstrap.nextCheck(),
                    !group.actions().isEmpty() || !plan.healing().remediate().isEmpty(), wakeups.eventDriven(), now);
            Instant next = drain.nextCheck().filter(n -> n.isBefore(base)).orElse(base);
            return new Outcome(asgName, template.id(), observed, group.actions(), Optional.empty(), Optional.of(plan), bootstrap, drain,
                    Optional.of(next));
        } catch (LaunchTemplateResolver.NotOwnedException e) {
            throw new BadInputException(Reason.LaunchTemplateNotOwned, e.getMessage(), e);
        } catch (RuntimeException e) {
            throw failed(hc, scope, e);
        }
    }

    /** The bootstrapper's pass, or, while a bootstrap reference is unusable, the last status' records carried unchanged. */
    private ClusterBootstrapper.Result bootstrap(HealingCluster hc, AwsScope scope, ClusterObservation observed, HealingClusterStatus previous,
                                                 ClusterReferences.Resolved refs, Instant now) {
        if (refs.bootstrapProblem().isEmpty()) {
            return bootstrapper.run(hc, scope, observed, previous, now);
        }
        Map<String, io.autoheal.bootstrap.BootstrapRecord> carried = new java.util.HashMap<>();
        List<String> members = observed.asg().map(a -> a.members().stream().map(m -> m.instanceId()).toList()).orElse(List.of());
        ClusterObserver.rowsById(previous).forEach((id, row) -> {
            if (row.bootstrap != null && members.contains(id)) {
                carried.put(id, io.autoheal.bootstrap.BootstrapRows.toRecord(row.bootstrap, now));
            }
        });
        return new ClusterBootstrapper.Result(carried, Map.of(), Optional.empty());
    }

    /**
     * The pass's one handling of a cloud failure that escaped its commands: a refusal a person must fix becomes
     * {@link BadInputException} (a condition, retried slowly); anything else leaves as it is (a transient one: the
     * region's back-off, HealingClusterReconciler).
     */
    private RuntimeException failed(HealingCluster hc, AwsScope scope, RuntimeException e) {
        if (!CloudFailures.isServiceAnswer(e)) {
            return e;
        }
        if (errors.errorCode(e).contains("LaunchTemplate")) {
            launchTemplates.forget(scope); // deleted or changed by hand: the next pass resolves it anew
        }
        Reason reason = errors.reason(e);
        if (CloudErrors.needsAPerson(reason)) {
            if (reason == Reason.AwsAccessDenied) {
                // AWS' full answer (with EC2's encoded authorization message) for whoever fixes the policy
                Log.warnf("%s: AWS denied %s: %s", hc.ownerKey(), errors.operation(e).orElse("a call"), errors.detail(e));
            }
            return new BadInputException(reason, errors.describe(e), e);
        }
        return e;
    }

    private LaunchTemplateResolver.Resolved resolveTemplate(HealingCluster hc, AwsScope scope, String asgName) {
        var template = hc.getSpec().template;
        if (template.launchTemplate != null) {
            return launchTemplates.resolveReference(scope, template.launchTemplate);
        }
        return launchTemplates.ensureOwned(scope, ClusterNames.templateName(hc, asgName, identity.installation()), hc.ownerKey(),
                hc.getMetadata().getUid(), FlexibleMachine.of(template.machine, template.instanceTypes), identity.tags(hc));
    }

    private void announce(HealingCluster hc, AsgAction action) {
        if (action instanceof AsgAction.Create c) {
            events.normal(hc, Reason.AsgCreated, "CreateAutoScalingGroup",
                    "Created Auto Scaling Group " + c.asgName() + " with desired " + c.desired() + " (min " + c.min() + ", max " + c.max() + ")");
        } else if (action instanceof AsgAction.Update u) {
            events.normal(hc, Reason.AsgUpdated, "UpdateAutoScalingGroup",
                    "Updated Auto Scaling Group " + u.asgName() + ": desired " + u.desired() + " (min " + u.min() + ", max " + u.max()
                            + "), launch template " + u.launchTemplateId() + " version " + u.launchTemplateVersion());
        } else if (action instanceof AsgAction.SuspendReplaceUnhealthy suspend && suspend.groupExisted()) {
            // Either a person resumed it by hand or the spec just asked for exclusive healing: both are worth a look.
            events.warning(hc, Reason.HealingProcessSuspended, "SuspendProcesses", "ReplaceUnhealthy was running on Auto Scaling Group "
                    + action.asgName() + "; suspended it so that only the operator replaces machines, within spec.health's budget "
                    + "(exclusiveHealing: true). To let AWS replace machines outside the budget, set spec.health.exclusiveHealing: false");
        } else if (action instanceof AsgAction.AttachTargetGroups a) {
            events.normal(hc, Reason.AsgUpdated, "AttachLoadBalancerTargetGroups", "Attached Auto Scaling Group " + a.asgName()
                    + " to target groups " + String.join(", ", a.targetGroupArns()) + " (spec.health.targetGroupArns)");
        } else if (action instanceof AsgAction.DetachTargetGroups d) {
            events.normal(hc, Reason.AsgUpdated, "DetachLoadBalancerTargetGroups", "Detached Auto Scaling Group " + d.asgName()
                    + " from target groups " + String.join(", ", d.targetGroupArns()) + ", no longer in spec.health.targetGroupArns");
        } else {
            events.normal(hc, Reason.AsgUpdated, action.getClass().getSimpleName(),
                    "Auto Scaling Group " + action.asgName() + ": " + action.getClass().getSimpleName());
        }
    }
}
