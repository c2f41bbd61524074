package io.autoheal.cluster;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterSpec;
import io.autoheal.api.v1alpha1.HealingClusterStatus;
import io.autoheal.bootstrap.BootstrapPhase;
import io.autoheal.bootstrap.ClusterBootstrapper;
import io.autoheal.bootstrap.ClusterDrainer;
import io.autoheal.cluster.healing.MachineState;
import io.autoheal.fleet.AsgAction;
import io.autoheal.fleet.CloudErrors;
import io.autoheal.fleet.GroupWrites;
import io.autoheal.fleet.InventoryReads;
import io.autoheal.fleet.LaunchTemplateResolver;
import io.autoheal.cloud.ClusterObservation;
import io.autoheal.cloud.Tags;
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
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Brings the ASG in line with the spec (unless paused) and returns what was observed and done. */
@ApplicationScoped
public class ClusterActuator {
    private final InventoryReads inventory;
    private final GroupWrites asgWriter;
    private final LaunchTemplateResolver launchTemplates;
    private final EventRecorder events;
    private final ClusterHealer healer;
    private final ClusterBootstrapper bootstrapper;
    private final ClusterWakeups wakeups;
    private final ClusterDrainer drainer;
    private final CloudErrors errors;
    private final ClusterIdentity identity;

    public ClusterActuator(InventoryReads inventory, GroupWrites asgWriter, LaunchTemplateResolver launchTemplates, EventRecorder events,
                           ClusterHealer healer, ClusterBootstrapper bootstrapper, ClusterWakeups wakeups, ClusterDrainer drainer,
                           CloudErrors errors, ClusterIdentity identity) {
        this.identity = identity;
        this.wakeups = wakeups;
        this.drainer = drainer;
        this.errors = errors;
        this.bootstrapper = bootstrapper;
        this.inventory = inventory;
        this.asgWriter = asgWriter;
        this.launchTemplates = launchTemplates;
        this.events = events;
        this.healer = healer;
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

    /** What one pass observed and did. */
    public record Outcome(String asgName, String launchTemplateId, ClusterObservation observation, List<AsgAction> actions,
                          Optional<String> refusal, Optional<ClusterHealer.Result> healing, ClusterBootstrapper.Result bootstrap,
                          Optional<Instant> nextCheck, ClusterDrainer.Result drain) {
        public Outcome(String asgName, String launchTemplateId, ClusterObservation observation, List<AsgAction> actions,
                       Optional<String> refusal, Optional<ClusterHealer.Result> healing, ClusterBootstrapper.Result bootstrap,
                       Optional<Instant> nextCheck) {
            this(asgName, launchTemplateId, observation, actions, refusal, healing, bootstrap, nextCheck,
                    ClusterDrainer.Result.none());
        }

        public Duration nextCheckIn(Instant now, Duration resync) {
            return Requeue.delay(nextCheck, now, resync);
        }
    }

    public Outcome converge(HealingCluster hc, HealingClusterStatus previous, String region, Instant now) {
        HealingClusterSpec spec = hc.getSpec();
        String asgName = identity.asgName(hc, region);
        boolean gateLaunch = spec.bootstrap != null && spec.bootstrap.gateLaunch;
        boolean hooked = gateLaunch || spec.drain != null; // our hooks are re-read now and then (one removed by hand comes back)
        try {
            ClusterObservation observed = inventory.observeCluster(region, asgName, hooked);
            if (spec.paused) {
                // Observe and report only: bootstrap and healing classify but act on nothing while paused, and the
                // bootstrap records (attempts, phases) are carried, not lost.
                ClusterBootstrapper.Result bootstrap = bootstrapper.run(hc, region, observed, previous, now);
                return new Outcome(asgName, observed.asg().map(a -> a.launchTemplateId()).orElse(null), observed,
                        List.of(), Optional.empty(),
                        Optional.of(healer.heal(hc, region, observed, previous, healthInputs(bootstrap, hc), null, now)),
                        bootstrap, Optional.empty(), drainer.run(hc, region, observed, previous, now));
            }
            LaunchTemplateResolver.Resolved template = resolveTemplate(hc, region, asgName);
            // A group above spec.capacity.desired (a surge, a scale-in) is held: the excess leaves by the operator's choice.
            int groupDesired = io.autoheal.cluster.healing.CapacityDecider.held(spec.capacity.desired, spec.capacity.max,
                    observed.asg().map(a -> a.desired()).orElse(null));
            DesiredAsg desired = new DesiredAsg(asgName, spec.capacity.min, groupDesired, spec.capacity.max,
                    template.id(), template.version(), spec.subnetIds, identity.tags(hc),
                    spec.health == null || spec.health.exclusiveHealing, gateLaunch, spec.drain != null,
                    FlexibleMachine.flexibility(spec.template));
            AsgPlanner.Plan plan = AsgPlanner.plan(desired, observed.asg(), hc.ownerKey(), spec.autoScalingGroupName != null);
            if (plan.refusal().isPresent()) {
                return new Outcome(asgName, template.id(), observed, List.of(), plan.refusal(), Optional.empty(),
                        ClusterBootstrapper.Result.none(), Optional.empty());
            }
            for (AsgAction action : plan.actions()) {
                asgWriter.apply(region, action);
                announce(hc, action);
            }
            if (!plan.actions().isEmpty()) {
                observed = inventory.observeCluster(region, asgName, hooked); // re-read: the writer marked the group stale
            }
            ClusterBootstrapper.Result bootstrap = bootstrapper.run(hc, region, observed, previous, now);
            ClusterDrainer.Result drain = drainer.run(hc, region, observed, previous, now);
            ClusterHealer.Result healing = healer.heal(hc, region, observed, previous, healthInputs(bootstrap, hc), template.version(), now);
            Instant base = Requeue.nextCheck(healing.plan().nextCheck(), bootstrap.nextCheck(),
                    !plan.actions().isEmpty() || !healing.plan().remediate().isEmpty(), wakeups.eventDriven(), now);
            Instant next = drain.nextCheck().filter(n -> n.isBefore(base)).orElse(base);
            return new Outcome(asgName, template.id(), observed, plan.actions(), Optional.empty(), Optional.of(healing), bootstrap,
                    Optional.of(next), drain);
        } catch (AwsServiceException e) {
            if (errors.errorCode(e).contains("LaunchTemplate")) {
                launchTemplates.forget(region); // deleted or changed by hand: the next pass resolves it anew
            }
            Reason reason = errors.reason(e);
            if (CloudErrors.needsAPerson(reason)) {
                if (reason == Reason.AwsAccessDenied) {
                    // AWS' full answer (with EC2's encoded authorization message) for whoever fixes the policy
                    Log.warnf("%s: AWS denied %s: %s", hc.ownerKey(), errors.operation(e).orElse("a call"),
                            errors.detail(e));
                }
                throw new BadInputException(reason, errors.describe(e), e);
            }
            throw e;
        } catch (LaunchTemplateResolver.NotOwnedException e) {
            throw new BadInputException(Reason.LaunchTemplateNotOwned, e.getMessage(), e);
        }
    }

    /**
     * Bootstrap outcomes as healing sees them: a machine is healthy only once bootstrapped; once a job was
     * triggered (queued, running, or failed with attempts left) it is in progress, bounded by the bootstrap's own
     * timeouts rather than the startup clock.
     */
    static Map<String, MachineState.Bootstrap> healthInputs(ClusterBootstrapper.Result bootstrap, HealingCluster hc) {
        Map<String, MachineState.Bootstrap> out = new java.util.HashMap<>();
        int max = hc.getSpec().bootstrap == null ? 0 : hc.getSpec().bootstrap.maxAttempts;
        bootstrap.records().forEach((id, r) -> out.put(id, r.phase() == BootstrapPhase.Succeeded ? MachineState.Bootstrap.SUCCEEDED
                : r.gaveUp(max) ? MachineState.Bootstrap.FAILED_FINAL
                : r.attempts() > 0 || r.inFlight() ? MachineState.Bootstrap.IN_PROGRESS
                : MachineState.Bootstrap.PENDING));
        return out;
    }

    private LaunchTemplateResolver.Resolved resolveTemplate(HealingCluster hc, String region, String asgName) {
        var template = hc.getSpec().template;
        if (template.launchTemplate != null) {
            return launchTemplates.resolveReference(region, template.launchTemplate);
        }
        return launchTemplates.ensureOwned(region, ClusterNames.templateName(hc, asgName, identity.installation()), hc.ownerKey(),
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
        } else {
            events.normal(hc, Reason.AsgUpdated, action.getClass().getSimpleName(),
                    "Auto Scaling Group " + action.asgName() + ": " + action.getClass().getSimpleName());
        }
    }
}
