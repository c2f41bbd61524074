package io.autoheal.bootstrap;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterStatus;
import io.autoheal.api.v1alpha1.InstanceBootstrapStatus;
import io.autoheal.cluster.warm.WarmSpareDecider;
import io.autoheal.fleet.AwsScope;
import io.autoheal.fleet.ClusterObservation;
import io.autoheal.fleet.GroupWrites;
import io.autoheal.fleet.LaunchGate;
import io.autoheal.fleet.LifecycleActions;
import io.autoheal.fleet.ObservedAsg;
import io.autoheal.fleet.ObservedInstance;
import io.autoheal.fleet.Tags;
import io.autoheal.fleet.WarmPools;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import io.autoheal.metrics.BootstrapMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The warm spares of one cluster pass (spec.warmPool): {@link WarmSpareDecider} decides, this class does it. A spare's
 * bootstrap runs like a gated machine's (no Elastic IP needed: a spare never gets one); success is tagged on the
 * instance before the hook is completed, so the spare's successor in service — after any restart — needs no new job.
 * Only spares of the installation's own warm pool (its {@value WarmPools#OWNER_TAG} mark) are touched.
 */
final class WarmSpareBootstrapper {
    private final GroupWrites aws;
    private final LifecycleActions lifecycle;
    private final EventRecorder events;
    private final BootstrapMetrics metrics;
    private final String installation;

    /** What the cluster's bootstrap pass lends a spare: its step runner, its lifecycle calls and its reports. */
    interface Pass {
        HealingCluster cluster();

        AwsScope scope();

        String asgName();

        /** Does the plan's step; returns the plan with the record after it. */
        BootstrapPlan act(BootstrapTarget target, BootstrapPlan plan, String tagged);

        /** A lifecycle call; a failure is reported and retried next pass. */
        boolean lifecycle(Runnable call, String instanceId, String action);

        /** Events and metrics for a job that reached a final phase in this pass. */
        void report(String instanceId, BootstrapRecord before, BootstrapRecord after);
    }

    WarmSpareBootstrapper(GroupWrites aws, LifecycleActions lifecycle, EventRecorder events, BootstrapMetrics metrics, String installation) {
        this.aws = aws;
        this.lifecycle = lifecycle;
        this.events = events;
        this.metrics = metrics;
        this.installation = installation;
    }

    /**
     * A member taken into service from the warm pool with the bootstrapped tag: Succeeded without a new job — when it
     * runs the version the group launches now. An outdated one (launched before a rollback, say) bootstraps again.
     */
    BootstrapRecord inService(HealingCluster hc, ObservedAsg asg, ObservedAsg.AsgMember m, ObservedInstance i, BootstrapRecord before,
                              Instant now) {
        String warmed = i.tags().get(WarmPools.BOOTSTRAPPED_TAG);
        if (warmed == null || before.phase() == BootstrapPhase.Succeeded) {
            return before;
        }
        if (!WarmSpareDecider.warmBootstrapCounts(m.launchTemplateVersion(), asg.launchTemplateVersion())) {
            if (before.jobId() == null) {
                events.normal(hc, Reason.WarmSpareInService, "Bootstrap", m.instanceId() + " entered service from the warm pool at launch "
                        + "template version " + m.launchTemplateVersion() + ", not the group's " + asg.launchTemplateVersion()
                        + ": its bootstrap while warmed does not count, it bootstraps again");
            }
            return before;
        }
        // Taken from the warm pool, bootstrapped there (the tag was written before its hook was completed): no new job.
        metrics.warmSpare(hc, "in_service");
        events.normal(hc, Reason.WarmSpareInService, "Bootstrap", m.instanceId() + " entered service from the warm pool, "
                + "bootstrapped while warmed (job " + warmed + "): no new bootstrap job");
        return new BootstrapRecord(warmed, BootstrapPhase.Succeeded, Math.max(1, before.attempts()), now, null, null, null,
                "bootstrapped while warmed", null);
    }

    /** Whether this pass acts on the group's spares: spec.warmPool asks for them, the pool is ours and its spares were read. */
    boolean handles(HealingCluster hc, ObservedAsg asg) {
        return hc.getSpec().warmPool != null && asg.warmPool() != null && asg.warmPool().sparesKnown()
                && WarmPools.ours(installation, asg.tags());
    }

    /** Each spare's plan after this pass (its record goes to status.warmSpares). */
    Map<String, BootstrapPlan> spares(Pass pass, ClusterObservation observed, HealingClusterStatus previous, BootstrapPolicy policy,
                                      Instant now) {
        ObservedAsg asg = observed.asg().orElseThrow();
        Map<String, BootstrapPlan> plans = new LinkedHashMap<>();
        Map<String, Row> rows = new LinkedHashMap<>();
        List<WarmSpareDecider.Spare> spares = new ArrayList<>();
        for (ObservedAsg.AsgMember m : asg.spares()) {
            ObservedInstance i = observed.instances().get(m.instanceId());
            if (i == null) {
                continue;
            }
            String tagged = i.tags().get(Tags.BOOTSTRAP_JOB);
            BootstrapRecord before = BootstrapRows.restore(lastRow(previous, m.instanceId()), tagged, policy, now);
            String warmed = i.tags().get(WarmPools.BOOTSTRAPPED_TAG);
            BootstrapTarget target = new BootstrapTarget(m.instanceId(), i.privateIp(), "running".equals(i.state()), true, true);
            BootstrapPlan plan = BootstrapPlanner.plan(target, before, policy, now);
            rows.put(m.instanceId(), new Row(m, target, before, plan, tagged, warmed));
            spares.add(new WarmSpareDecider.Spare(m.instanceId(), m.lifecycleState(), warmed != null || plan.record().phase() == BootstrapPhase.Succeeded,
                    plan.step().kind() == BootstrapStep.Kind.GIVE_UP, m.launchTemplateVersion()));
        }
        boolean hooked = asg.launchHooks().contains(LaunchGate.HOOK_NAME);
        for (WarmSpareDecider.Decision d : WarmSpareDecider.decide(spares, asg.launchTemplateVersion(), true, hooked)) {
            Row row = rows.get(d.instanceId());
            plans.put(d.instanceId(), pass.cluster().getSpec().paused ? row.plan() : act(pass, row, d, policy));
        }
        return plans;
    }

    /** A spare's data for this pass. */
    private record Row(ObservedAsg.AsgMember member, BootstrapTarget target, BootstrapRecord before, BootstrapPlan plan, String tagged,
                       String warmed) {
    }

    private BootstrapPlan act(Pass pass, Row row, WarmSpareDecider.Decision decision, BootstrapPolicy policy) {
        String id = decision.instanceId();
        switch (decision.action()) {
            case BOOTSTRAP -> {
                BootstrapPlan after = pass.act(row.target(), row.plan(), row.tagged());
                pass.report(id, row.before(), after.record());
                if (after.record().phase() == BootstrapPhase.Succeeded) {
                    complete(pass, id, null, after.record().jobId(), "warm spare " + id + " bootstrapped: launch continued, it waits in the warm pool");
                }
                return after;
            }
            case COMPLETE -> {
                complete(pass, id, row.warmed(), row.plan().record().jobId(), decision.why());
                return row.plan();
            }
            case REPLACE -> {
                boolean done = row.member().lifecycleState().endsWith(":Wait")
                        ? pass.lifecycle(() -> lifecycle.completeLaunch(pass.scope(), pass.asgName(), id, false), id, "CompleteLifecycleAction")
                        : pass.lifecycle(() -> aws.replaceInstance(pass.scope(), id), id, "TerminateInstanceInAutoScalingGroup");
                if (done) {
                    metrics.warmSpare(pass.cluster(), decision.outdated() ? "outdated" : "replaced");
                    events.warning(pass.cluster(), Reason.WarmSpareReplaced, "ReplaceWarmSpare", decision.why());
                }
                return row.plan();
            }
            default -> {
                return row.plan();
            }
        }
    }

    /** Tags the spare bootstrapped (before the hook: a restart, or its entry into service, keeps it), then CONTINUE. */
    private void complete(Pass pass, String id, String warmed, String jobId, String why) {
        if (warmed == null) {
            boolean tagged = pass.lifecycle(() -> aws.tagInstance(pass.scope(), id, WarmPools.BOOTSTRAPPED_TAG, jobId == null ? "none" : jobId),
                    id, "TagWarmBootstrapped");
            if (!tagged) {
                return; // the next pass tags and continues: without the tag its successor in service would bootstrap again
            }
        }
        if (pass.lifecycle(() -> lifecycle.completeLaunch(pass.scope(), pass.asgName(), id, true), id, "CompleteLifecycleAction")) {
            metrics.warmSpare(pass.cluster(), "ready");
            events.normal(pass.cluster(), Reason.WarmSpareReady, "CompleteLifecycleAction", why);
        }
    }

    /** A spare's bootstrap row from the last status.warmSpares. */
    private static InstanceBootstrapStatus lastRow(HealingClusterStatus previous, String id) {
        return Optional.ofNullable(previous.warmSpares).orElse(List.of()).stream()
                .filter(r -> id.equals(r.instanceId)).findFirst().map(r -> r.bootstrap).orElse(null);
    }
}
