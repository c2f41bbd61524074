package io.autoheal.cluster;

import io.autoheal.fleet.AwsScope;
import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterStatus;
import io.autoheal.api.v1alpha1.InstanceHealth;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.fleet.ObservedAsg;
import io.autoheal.fleet.ObservedInstance;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import io.autoheal.bootstrap.BootstrapPhase;
import io.autoheal.bootstrap.BootstrapRecord;
import io.autoheal.bootstrap.BootstrapRows;
import io.autoheal.cluster.healing.HealingPlan;
import io.autoheal.cluster.healing.Verdict;
import io.autoheal.cluster.plan.ClusterPlan;
import io.autoheal.cluster.launch.LaunchFailureReporter;
import io.autoheal.eip.PoolMembership;
import io.autoheal.metrics.ClusterMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a pass (what was observed, planned and done) into the cluster's status and conditions ({@link #report},
 * no Event, no gauge), then derives the Events and gauges from the change of status ({@link #announce}).
 */
@ApplicationScoped
public class ClusterReporter {
    private final ClusterMetrics metrics;
    private final EventRecorder events;
    private final LaunchFailureReporter launches;

    public ClusterReporter(ClusterMetrics metrics, EventRecorder events, LaunchFailureReporter launches) {
        this.metrics = metrics;
        this.events = events;
        this.launches = launches;
    }

    public HealingClusterStatus report(HealingCluster hc, HealingClusterStatus previous, ClusterActuator.Outcome outcome,
                                       ClusterReferences.Resolved refs, String installation, Conditions conditions, AwsScope scope,
                                       Instant now) {
        Optional<ElasticIpPool> pool = refs.pool();
        HealingClusterStatus status = base(hc, previous, scope);
        status.asgName = outcome.asgName();
        status.launchTemplateId = outcome.launchTemplateId();
        status.instances = rows(outcome);
        pool.ifPresent(p -> noteOutsideAddresses(status.instances, outcome.observation().instances(), p, installation));
        outcome.plan().ifPresent(p -> applyVerdicts(status, p.healing()));
        outcome.plan().ifPresent(p -> status.recentRemediations = p.recentRemediations());
        status.warmSpares = warmSpares(outcome, previous.warmSpares);
        for (InstanceStatus row : status.instances) {
            BootstrapRecord b = outcome.bootstrap().records().get(row.instanceId);
            if (b != null) {
                row.bootstrap = BootstrapRows.toRow(b);
            }
            BootstrapRecord d = outcome.drain().records().get(row.instanceId);
            if (d != null) {
                row.drain = BootstrapRows.toRow(d);
            }
        }
        boolean eipRequired = hc.getSpec().elasticIps != null && hc.getSpec().elasticIps.required;
        int replicas = 0;
        int ready = 0;
        int withEip = 0;
        for (InstanceStatus row : status.instances) {
            if (row.health != InstanceHealth.Leaving) {
                replicas++;
            }
            if (row.eipAllocationId != null) {
                withEip++;
            }
            if (InService.of(row, eipRequired)) {
                ready++;
            }
        }
        status.replicas = replicas;
        status.readyReplicas = ready;
        status.unhealthyReplicas = (int) status.instances.stream().filter(r -> r.health == InstanceHealth.Unhealthy).count();
        status.elasticIps = withEip;
        int desired = hc.getSpec().capacity.desired;

        long withoutEip = status.instances.stream()
                .filter(r -> r.health != InstanceHealth.Leaving && "running".equals(r.state) && r.eipAllocationId == null).count();
        boolean poolExhausted = pool.map(p -> p.getStatus() != null && Conditions.isTrue(p.getStatus().conditions, ConditionType.Exhausted))
                .orElse(false);
        if (outcome.refusal().isPresent()) {
            conditions.set(ConditionType.Degraded, true, Reason.AsgNotOwned, outcome.refusal().get());
        } else if (!refs.problems().isEmpty()) {
            conditions.set(ConditionType.Degraded, true, refs.problems().get(0).reason(), refs.problems().get(0).message());
        } else if (eipRequired && poolExhausted && withoutEip > 0) {
            String message = withoutEip + " machine(s) wait for an Elastic IP: pool " + hc.getSpec().elasticIps.poolRef + " is exhausted";
            conditions.set(ConditionType.Degraded, true, Reason.EipPoolExhausted, message);
        } else {
            conditions.set(ConditionType.Degraded, false, Reason.Reconciled, "");
        }
        boolean converged = outcome.refusal().isEmpty() && outcome.actions().isEmpty() && replicas == desired && ready == desired;
        reportHealing(outcome, conditions);
        if (hc.getSpec().bootstrap != null) {
            int bootstrapped = (int) outcome.bootstrap().records().values().stream()
                    .filter(b -> b.phase() == BootstrapPhase.Succeeded).count();
            status.bootstrappedReplicas = bootstrapped;
            if (refs.bootstrapProblem().isPresent()) {
                conditions.set(ConditionType.Bootstrapped, false, refs.bootstrapProblem().get().reason(), bootstrapped + "/" + desired
                        + " machines bootstrapped; no bootstrap runs until this is fixed: " + refs.bootstrapProblem().get().message());
            } else if (bootstrapped >= desired) {
                conditions.set(ConditionType.Bootstrapped, true, Reason.AllBootstrapped, bootstrapped + "/" + desired + " machines bootstrapped");
            } else {
                var problem = io.autoheal.bootstrap.BootstrapProblems.of(outcome.bootstrap().records());
                conditions.set(ConditionType.Bootstrapped, false, problem.map(io.autoheal.bootstrap.BootstrapProblems.Problem::reason).orElse(Reason.BootstrapPending),
                        bootstrapped + "/" + desired + " machines bootstrapped" + problem.map(p -> "; " + p.message()).orElse(""));
            }
        }
        if (hc.getSpec().drain != null) {
            List<String> kept = outcome.drain().kept();
            conditions.set(ConditionType.DrainStuck, !kept.isEmpty(), kept.isEmpty() ? Reason.Reconciled : Reason.DrainKept, kept.isEmpty() ? ""
                    : kept.size() + " machine(s) kept in Terminating:Wait after their drain did not succeed (spec.drain.onTimeout: Keep): "
                    + String.join(", ", kept.stream().limit(10).toList()));
        }
        if (hc.getSpec().paused) {
            conditions.set(ConditionType.Progressing, false, Reason.Paused, "spec.paused is true: observing only");
        } else if (converged) {
            conditions.set(ConditionType.Progressing, false, Reason.Reconciled, ready + "/" + desired + " machines ready");
        } else {
            Reason why = outcome.observation().asg().isEmpty() ? Reason.Creating
                    : replicas != desired ? Reason.Scaling : Reason.InstancesStarting;
            conditions.set(ConditionType.Progressing, true, why, ready + "/" + desired + " machines ready, " + replicas + " in the group");
        }
        // spec.rollout: status.rollout, and Progressing in its terms while a rollout is not complete
        outcome.plan().flatMap(ClusterPlan::rollout).ifPresent(r -> status.rollout = r.status());
        if (!hc.getSpec().paused && status.rollout != null) {
            Optional<RolloutReport.State> rolling = RolloutReport.progressing(status.rollout);
            if (rolling.isPresent()) {
                conditions.set(ConditionType.Progressing, rolling.get().status(), rolling.get().reason(), rolling.get().message());
            } else if (converged) {
                conditions.set(ConditionType.Progressing, false, Reason.NewVersionAvailable, ready + "/" + desired
                        + " machines ready on launch template version " + status.rollout.targetVersion);
            }
        }
        Optional<RolloutReport.State> rollingBack = RolloutReport.notReady(status.rollout);
        if (outcome.refusal().isPresent()) {
            conditions.set(ConditionType.Ready, false, Reason.AsgNotOwned, outcome.refusal().get());
        } else if (rollingBack.isPresent()) {
            conditions.set(ConditionType.Ready, false, rollingBack.get().reason(), rollingBack.get().message());
        } else if (ready >= desired) {
            conditions.set(ConditionType.Ready, true, Reason.Reconciled, ready + "/" + desired + " machines ready");
        } else {
            conditions.set(ConditionType.Ready, false, Reason.InstancesStarting, ready + "/" + desired + " machines ready");
        }
        launches.report(hc, previous, status, outcome.observation(), conditions);
        status.conditions = conditions.build();
        return status;
    }

    private static void reportHealing(ClusterActuator.Outcome outcome, Conditions conditions) {
        Optional<HealingPlan.Block> block = outcome.plan().flatMap(p -> p.healing().blocked());
        if (block.isPresent()) {
            Reason why = block.get().kind() == HealingPlan.Block.Kind.MAX_UNHEALTHY ? Reason.BudgetExceeded : Reason.RateLimited;
            conditions.set(ConditionType.RemediationBlocked, true, why, block.get().describe());
        } else {
            conditions.set(ConditionType.RemediationBlocked, false, Reason.WithinBudget, "");
        }
        Optional<String> stopped = outcome.plan().flatMap(ClusterPlan::rolloutStopped);
        conditions.set(ConditionType.RolloutStopped, stopped.isPresent(), stopped.isPresent() ? Reason.RolloutStopped : Reason.RolloutProceeding,
                stopped.orElse(""));
    }

    /**
     * After the status is built: the Events its condition transitions call for ({@link ConditionEvents}) and the
     * cluster's gauges, all derived from the previous and the next status (the drain's kept count from the pass).
     */
    public void announce(HealingCluster hc, HealingClusterStatus previous, HealingClusterStatus status, ClusterActuator.Outcome outcome) {
        ConditionEvents.between(previous, status).forEach(w -> events.warning(hc, w.reason(), w.action(), w.message()));
        RolloutReport.transition(previous == null ? null : previous.rollout, status.rollout).ifPresent(t -> {
            if (t.warning()) {
                events.warning(hc, t.reason(), "Rollout", t.message());
            } else {
                events.normal(hc, t.reason(), "Rollout", t.message());
            }
            t.outcome().ifPresent(o -> metrics.rollout(hc, o));
        });
        metrics.record(hc, hc.getSpec().capacity.desired, status);
        metrics.remediationBlocked(hc, Conditions.isTrue(status.conditions, ConditionType.RemediationBlocked));
        metrics.rolloutState(hc, RolloutReport.failed(status.rollout), RolloutReport.atCheckpoint(status.rollout));
        metrics.drainStuck(hc, outcome.drain().kept().size());
    }

    private static void applyVerdicts(HealingClusterStatus status, HealingPlan plan) {
        Map<String, Verdict> byId = new java.util.HashMap<>();
        plan.verdicts().forEach(v -> byId.put(v.instanceId(), v));
        for (InstanceStatus row : status.instances) {
            Verdict v = byId.get(row.instanceId);
            if (v == null) {
                continue;
            }
            row.health = switch (v.state()) {
                case HEALTHY -> InstanceHealth.Healthy;
                case STARTING -> InstanceHealth.Starting;
                case BOOTSTRAPPING -> InstanceHealth.Bootstrapping;
                case UNHEALTHY -> InstanceHealth.Unhealthy;
                case LEAVING -> InstanceHealth.Leaving;
            };
            row.reason = v.reason() == null ? null : v.reason().name();
            row.unhealthySince = v.since() == null ? null : v.since().toString();
            // one path for every application-health source: the row names what failed and how
            row.healthSource = v.signal() == null ? null : v.signal().source();
            row.healthDetail = v.signal() == null ? null : v.signal().detail();
        }
    }

    /** Status for a pass that could not act: keeps the last known instances, says why. */
    /** One row per warm spare, with its bootstrap while warmed; null when the group has no warm pool (the field stays unset). */
    static java.util.List<io.autoheal.api.v1alpha1.WarmSpareStatus> warmSpares(ClusterActuator.Outcome outcome,
                                                                               java.util.List<io.autoheal.api.v1alpha1.WarmSpareStatus> previous) {
        var pool = outcome.observation().asg().map(io.autoheal.fleet.ObservedAsg::warmPool).orElse(null);
        if (pool == null) {
            return null;
        }
        if (!pool.sparesKnown()) {
            return previous; // DescribeWarmPool failed for this group: the last known rows stand (the Event says why)
        }
        return pool.spares().stream().sorted(java.util.Comparator.comparing(io.autoheal.fleet.ObservedAsg.AsgMember::instanceId)).map(m -> {
            var row = new io.autoheal.api.v1alpha1.WarmSpareStatus();
            row.instanceId = m.instanceId();
            row.lifecycleState = m.lifecycleState();
            BootstrapRecord b = outcome.bootstrap().spares().get(m.instanceId());
            row.bootstrap = b == null ? null : BootstrapRows.toRow(b);
            return row;
        }).toList();
    }

    public HealingClusterStatus problem(HealingCluster hc, HealingClusterStatus previous, Conditions conditions, AwsScope scope,
                                        Reason reason, String message) {
        HealingClusterStatus status = base(hc, previous, scope);
        status.asgName = previous.asgName;
        status.launchTemplateId = previous.launchTemplateId;
        status.instances = previous.instances;
        status.warmSpares = previous.warmSpares;
        status.replicas = previous.replicas;
        status.readyReplicas = previous.readyReplicas;
        status.unhealthyReplicas = previous.unhealthyReplicas;
        status.bootstrappedReplicas = previous.bootstrappedReplicas;
        status.elasticIps = previous.elasticIps;
        conditions.set(ConditionType.Degraded, true, reason, message);
        conditions.set(ConditionType.Ready, false, reason, message);
        conditions.set(ConditionType.Progressing, false, reason, "waiting for the problem to be fixed");
        conditions.carry(ConditionType.LaunchFailing); // not re-read this pass: the last word stands
        status.launchFailuresCountedThrough = previous.launchFailuresCountedThrough;
        status.conditions = conditions.build();
        metrics.recordProblem(hc);
        return status;
    }

    private static HealingClusterStatus base(HealingCluster hc, HealingClusterStatus previous, AwsScope scope) {
        HealingClusterStatus status = new HealingClusterStatus();
        status.observedGeneration = hc.getMetadata().getGeneration();
        status.region = scope.region();
        status.awsIdentity = previous.awsIdentity; // recorded before the first AWS write (tenant.TenantScopeGuard), kept
        status.selector = HealingClusterStatus.selectorFor(hc.getMetadata().getName());
        status.recentRemediations = previous.recentRemediations == null ? new ArrayList<>() : previous.recentRemediations;
        // carried through passes that do not track it (spec.paused, a failed pass); dropped with spec.rollout
        status.rollout = hc.getSpec().rollout == null ? null : previous.rollout;
        return status;
    }

    private static List<InstanceStatus> rows(ClusterActuator.Outcome outcome) {
        Map<String, ObservedInstance> instances = outcome.observation().instances();
        List<ObservedAsg.AsgMember> members = outcome.observation().asg().map(ObservedAsg::members).orElse(List.of());
        List<InstanceStatus> rows = new ArrayList<>();
        for (ObservedAsg.AsgMember m : members) {
            rows.add(row(m, instances.get(m.instanceId())));
        }
        // Warm spares are the group's instances but no machines of the cluster: status.warmSpares lists them.
        java.util.Set<String> spares = outcome.observation().asg().map(ObservedAsg::spares).orElse(List.of()).stream()
                .map(ObservedAsg.AsgMember::instanceId).collect(java.util.stream.Collectors.toSet());
        for (ObservedInstance i : instances.values()) {
            boolean member = members.stream().anyMatch(m -> m.instanceId().equals(i.instanceId()));
            if (!member && !spares.contains(i.instanceId()) && !"terminated".equals(i.state())) {
                rows.add(row(null, i));
            }
        }
        rows.sort(Comparator.comparing((InstanceStatus r) -> r.launchTime == null ? "" : r.launchTime).thenComparing(r -> r.instanceId));
        return rows;
    }

    private static InstanceStatus row(ObservedAsg.AsgMember member, ObservedInstance instance) {
        InstanceStatus row = new InstanceStatus();
        row.instanceId = member != null ? member.instanceId() : instance.instanceId();
        row.lifecycle = member == null ? "Detached" : member.lifecycleState();
        row.zone = member != null ? member.zone() : instance.zone();
        if (instance != null) {
            row.state = instance.state();
            row.privateIp = instance.privateIp();
            row.publicIp = instance.publicIp();
            row.eipAllocationId = instance.eipAllocationId();
            row.launchTime = instance.launchTime() == null ? null : instance.launchTime().toString();
        }
        row.health = simpleHealth(member, instance);
        return row;
    }

    /** A machine holding an Elastic IP that is not the pool's keeps it and gets no pool address: its row says so. */
    private static void noteOutsideAddresses(List<InstanceStatus> rows, Map<String, ObservedInstance> instances, ElasticIpPool pool,
                                             String installation) {
        for (InstanceStatus row : rows) {
            ObservedInstance i = instances.get(row.instanceId);
            row.eipNote = i == null ? null : PoolMembership.outsideNote(pool, installation, i.eip()).orElse(null);
        }
    }

    private static InstanceHealth simpleHealth(ObservedAsg.AsgMember member, ObservedInstance instance) {
        if (member == null || member.lifecycleState().startsWith("Terminat") || member.lifecycleState().startsWith("Detach")) {
            return InstanceHealth.Leaving;
        }
        if (instance != null && "running".equals(instance.state()) && "InService".equals(member.lifecycleState())
                && "Healthy".equalsIgnoreCase(member.healthStatus())) {
            return InstanceHealth.Healthy;
        }
        return InstanceHealth.Starting;
    }
}
