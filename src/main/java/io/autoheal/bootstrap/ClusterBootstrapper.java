package io.autoheal.bootstrap;

import io.autoheal.fleet.AwsScope;
import io.autoheal.api.v1alpha1.BootstrapSpec;
import io.autoheal.api.v1alpha1.Durations;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterStatus;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.fleet.ClusterObservation;
import io.autoheal.fleet.ObservedAsg;
import io.autoheal.fleet.ObservedInstance;
import io.autoheal.fleet.Tags;
import io.autoheal.config.OperatorConfig;
import io.autoheal.fleet.CloudErrors;
import io.autoheal.fleet.CloudFailure;
import io.autoheal.fleet.GroupWrites;
import io.autoheal.fleet.LifecycleActions;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import io.autoheal.metrics.BootstrapMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One pass of a cluster's bootstraps: per machine, restore the record (status + EC2 tag), plan with
 * {@link BootstrapPlanner}, do the step (trigger, poll, heartbeat, CONTINUE / ABANDON), and return the records to
 * write back. The job id is tagged on the instance right after the trigger, before the status is written, so a
 * restarted operator adopts the job instead of starting another.
 */
@ApplicationScoped
public class ClusterBootstrapper {
    private static final Logger LOG = Logger.getLogger(ClusterBootstrapper.class);
    /** A quarter of the launch hook's heartbeat timeout (2h, see AsgPlanner.HOOK_HEARTBEAT_TIMEOUT). */
    static final Duration HEARTBEAT_INTERVAL = Duration.ofMinutes(30);
    private final OperatorConfig config;
    private final GroupWrites aws;
    private final LifecycleActions asgWriter;
    private final CloudErrors errors;
    private final BootstrapRunners runners;
    private final EventRecorder events;
    private final BootstrapMetrics metrics;
    private final BootstrapCalls calls;
    private final WarmSpareBootstrapper warm;

    public ClusterBootstrapper(OperatorConfig config, GroupWrites aws, LifecycleActions asgWriter, BootstrapRunners runners, EventRecorder events,
                               BootstrapMetrics metrics, CloudErrors errors, BootstrapCalls calls) {
        this.calls = calls;
        this.errors = errors;
        this.config = config;
        this.aws = aws;
        this.asgWriter = asgWriter;
        this.runners = runners;
        this.events = events;
        this.metrics = metrics;
        this.warm = new WarmSpareBootstrapper(aws, asgWriter, events, metrics, config.installationId());
    }

    /** Each machine's record after this pass (to write to status), what was decided, and when to look again. */
    /** @param spares each warm spare's bootstrap while warmed (status.warmSpares): no machine of the cluster, counted apart */
    public record Result(Map<String, BootstrapRecord> records, Map<String, BootstrapStep> steps, Optional<Instant> nextCheck,
                         Map<String, BootstrapRecord> spares) {
        public Result(Map<String, BootstrapRecord> records, Map<String, BootstrapStep> steps, Optional<Instant> nextCheck) {
            this(records, steps, nextCheck, Map.of());
        }

        public static Result none() {
            return new Result(Map.of(), Map.of(), Optional.empty());
        }
    }

    /** spec.bootstrap with the operator's retry settings. */
    public BootstrapPolicy policy(BootstrapSpec spec) {
        return new BootstrapPolicy(Durations.parseOr(spec.timeout, Duration.ofMinutes(30)), spec.maxAttempts,
                config.bootstrap().retryBackoff(), config.bootstrap().retryBackoffMax(), spec.gateLaunch, HEARTBEAT_INTERVAL,
                config.bootstrap().pollInterval());
    }

    public Result run(HealingCluster hc, AwsScope scope, ClusterObservation observed, HealingClusterStatus previous, Instant now) {
        BootstrapSpec spec = hc.getSpec().bootstrap;
        if (spec == null || observed.asg().isEmpty()) {
            return Result.none();
        }
        BootstrapPolicy policy = policy(spec);
        boolean eipRequired = hc.getSpec().elasticIps != null && hc.getSpec().elasticIps.required;
        Map<String, InstanceStatus> rows = new HashMap<>();
        Optional.ofNullable(previous.instances).orElse(List.of()).forEach(r -> rows.put(r.instanceId, r));
        Pass pass = new Pass(hc, scope, observed.asg().get().name(), policy, now);
        Map<String, BootstrapRecord> records = new HashMap<>();
        Map<String, BootstrapStep> steps = new HashMap<>();
        List<BootstrapPlan> plans = new ArrayList<>();
        for (ObservedAsg.AsgMember m : observed.asg().get().members()) {
            ObservedInstance i = observed.instances().get(m.instanceId());
            if (i == null || m.lifecycleState().startsWith("Terminat") || m.lifecycleState().startsWith("Detach")) {
                continue;
            }
            InstanceStatus row = rows.get(m.instanceId());
            String tagged = i.tags().get(Tags.BOOTSTRAP_JOB);
            BootstrapRecord before = BootstrapRows.restore(row == null ? null : row.bootstrap, tagged, policy, now);
            before = warm.inService(hc, observed.asg().get(), m, i, before, now);
            boolean gated = "Pending:Wait".equals(m.lifecycleState());
            boolean running = "running".equals(i.state()) && ("InService".equals(m.lifecycleState()) || gated);
            BootstrapTarget target = new BootstrapTarget(m.instanceId(), i.privateIp(), running, !eipRequired || i.eipAllocationId() != null,
                    gated);
            BootstrapPlan plan = BootstrapPlanner.plan(target, before, policy, now);
            if (!hc.getSpec().paused) {
                plan = pass.act(target, plan, tagged);
            }
            report(hc, m.instanceId(), before, plan.record(), policy, now);
            records.put(m.instanceId(), plan.record());
            steps.put(m.instanceId(), plan.step());
            plans.add(plan);
        }
        Map<String, BootstrapRecord> spares = new HashMap<>();
        if (warm.handles(hc, observed.asg().get())) {
            warm.spares(pass, observed, previous, policy, now).forEach((id, p) -> {
                spares.put(id, p.record());
                plans.add(p);
            });
        }
        metrics.inProgress(hc, (int) records.values().stream().filter(BootstrapRecord::inFlight).count());
        return new Result(records, steps, BootstrapPlanner.nextCheck(plans), spares);
    }

    /** The actions of one cluster pass; the runner is made once, and only when a machine needs it. */
    private final class Pass implements WarmSpareBootstrapper.Pass {
        final HealingCluster hc;
        final AwsScope scope;
        final String asgName;
        final BootstrapPolicy policy;
        final Instant now;
        BootstrapRunner runner;

        Pass(HealingCluster hc, AwsScope scope, String asgName, BootstrapPolicy policy, Instant now) {
            this.hc = hc;
            this.scope = scope;
            this.asgName = asgName;
            this.policy = policy;
            this.now = now;
        }

        @Override
        public HealingCluster cluster() {
            return hc;
        }

        @Override
        public AwsScope scope() {
            return scope;
        }

        @Override
        public String asgName() {
            return asgName;
        }

        @Override
        public void report(String instanceId, BootstrapRecord before, BootstrapRecord after) {
            ClusterBootstrapper.this.report(hc, instanceId, before, after, policy, now);
        }

        /** Does the plan's step; returns the plan with the record after it (a heartbeat is followed by a poll). */
        @Override
        public BootstrapPlan act(BootstrapTarget target, BootstrapPlan plan, String tagged) {
            BootstrapRecord r = plan.record();
            String id = target.instanceId();
            switch (plan.step().kind()) {
                case TRIGGER -> {
                    return withRecord(plan, trigger(target, r, plan.step().attempt()));
                }
                case HEARTBEAT -> {
                    if (lifecycle(() -> asgWriter.heartbeat(scope, asgName, id), id, "RecordLifecycleActionHeartbeat")) {
                        r = BootstrapStateMachine.onHeartbeat(r, now);
                    }
                    return withRecord(plan, poll(target, r, tagged));
                }
                case POLL -> {
                    return withRecord(plan, poll(target, r, tagged));
                }
                case COMPLETE -> {
                    if (lifecycle(() -> asgWriter.completeLaunch(scope, asgName, id, true), id, "CompleteLifecycleAction")) {
                        events.normal(hc, Reason.LaunchContinued, "CompleteLifecycleAction", id + " bootstrapped: launch continued (CONTINUE)");
                    }
                    return plan;
                }
                case GIVE_UP -> {
                    if (plan.step().launchAction() == BootstrapStep.LaunchAction.ABANDON
                            && lifecycle(() -> asgWriter.completeLaunch(scope, asgName, id, false), id, "CompleteLifecycleAction")) {
                        events.warning(hc, Reason.LaunchAbandoned, "CompleteLifecycleAction", id + " failed to bootstrap: launch abandoned (ABANDON)");
                    }
                    return plan;
                }
                default -> {
                    return plan;
                }
            }
        }

        private BootstrapRecord trigger(BootstrapTarget target, BootstrapRecord r, int attempt) {
            BootstrapSpec spec = hc.getSpec().bootstrap;
            Optional<TriggerResult> answered = calls.trigger(hc.ownerKey(), "bootstrap", runner(), new BootstrapRequest(target.instanceId(),
                    target.privateIp(), hc.getSpec().roles, hc.getSpec().environment, spec.http == null ? Map.of() : spec.http.extraVars, attempt));
            if (answered.isEmpty()) {
                return r; // the call runs off the pass; its end wakes the cluster, whose next pass takes the answer
            }
            TriggerResult t = answered.get();
            BootstrapRecord after = BootstrapStateMachine.onTrigger(r, t, policy, now);
            switch (t.kind()) {
                case NOT_STARTED -> {
                    metrics.job(hc, "trigger_failed");
                    events.warning(hc, reasonOf(t.failure(), Reason.BootstrapRetry), "TriggerBootstrap", target.instanceId() + ": "
                            + t.failure() + ": " + t.message());
                }
                case SENT_ANSWER_LOST -> {
                    metrics.job(hc, "answer_lost");
                    boolean last = after.gaveUp(policy.maxAttempts());
                    if (last) {
                        metrics.job(hc, "gave_up");
                    }
                    events.warning(hc, last ? Reason.BootstrapFailed : Reason.BootstrapRetry, "TriggerBootstrap", target.instanceId() + ": "
                            + t.failure() + ": " + t.message() + "; attempt " + attempt + " of " + policy.maxAttempts()
                            + (after.awaitingAnswer() ? " is sent again with the same idempotency key at " + after.nextAttemptAt()
                                    + ", until " + after.triggeredAt().plus(policy.timeout())
                                    : last ? ": no job named within the attempt's timeout, giving up, the machine will be replaced"
                                    : ": no job named within the attempt's timeout, next attempt at " + after.nextAttemptAt()));
                }
                case STARTED -> {
                    // Tag first: a crash before the status write must not lead to a second job.
                    tag(target.instanceId(), t.jobId());
                    metrics.job(hc, "triggered");
                    events.normal(hc, Reason.BootstrapTriggered, "TriggerBootstrap", target.instanceId() + " (" + target.privateIp()
                            + "): job " + t.jobId() + ", attempt " + attempt + " of " + policy.maxAttempts());
                }
            }
            return after;
        }

        private BootstrapRecord poll(BootstrapTarget target, BootstrapRecord r, String tagged) {
            if (!r.jobId().equals(tagged)) {
                tag(target.instanceId(), r.jobId()); // repairs a tag write that failed after the trigger
            }
            Optional<JobStatus> answered = calls.status(hc.ownerKey(), "bootstrap", runner(), target.instanceId(), r.jobId(), target.privateIp());
            if (answered.isEmpty()) {
                return unanswered(r, policy, now, config.bootstrap().requestTimeout());
            }
            JobStatus status = answered.get();
            if (status.failure() == BootstrapFailure.UrlRefused) {
                events.warning(hc, Reason.BootstrapUrlRefused, "PollBootstrap", target.instanceId() + ": job " + r.jobId() + ": " + status.message());
            }
            return BootstrapStateMachine.onPoll(r, status, policy, now);
        }

        private BootstrapRunner runner() {
            if (runner == null) {
                runner = runners.forCluster(hc);
            }
            return runner;
        }

        private void tag(String instanceId, String jobId) {
            try {
                aws.tagInstance(scope, instanceId, Tags.BOOTSTRAP_JOB, jobId);
            } catch (CloudFailure e) {
                // The status still records the job; the next poll writes the tag again. Said out loud, because until
                // then the tag is the only guard against a second trigger after a crash.
                LOG.warnf("tagging %s with bootstrap job %s failed: %s", instanceId, jobId, e.getClass().getSimpleName());
                events.warning(hc, Reason.AwsError, "TagBootstrapJob", instanceId + ": could not tag job " + jobId + ": "
                        + errors.describe(e));
            }
        }

        /** A lifecycle call that fails (e.g. the hook already timed out) is retried next pass, not fatal to the pass. */
        @Override
        public boolean lifecycle(Runnable call, String instanceId, String action) {
            try {
                call.run();
                return true;
            } catch (CloudFailure e) {
                LOG.warnf("%s for %s failed: %s", action, instanceId, e.getMessage());
                // Repeated failures let the hook time out (its DefaultResult then decides): on-call must see why.
                events.warning(hc, Reason.AwsError, action, instanceId + ": " + errors.describe(e));
                return false;
            }
        }
    }

    /**
     * No status answer yet (the call runs or waits for a free slot). Past the job's timeout and some request timeouts
     * more, the job counts as timed out without one: a dead endpoint cannot hold a machine forever.
     */
    static BootstrapRecord unanswered(BootstrapRecord r, BootstrapPolicy policy, Instant now, Duration requestTimeout) {
        if (r.inFlight() && r.triggeredAt() != null && !now.isBefore(r.triggeredAt().plus(policy.timeout()).plus(requestTimeout.multipliedBy(3)))) {
            return BootstrapStateMachine.onTimeout(r, policy, now);
        }
        return r;
    }

    /** A refused URL has its own reason, so on-call can tell tenant-safety refusals from a bootstrapper that is down. */
    private static Reason reasonOf(BootstrapFailure failure, Reason otherwise) {
        return failure == BootstrapFailure.UrlRefused ? Reason.BootstrapUrlRefused : otherwise;
    }

    private static BootstrapPlan withRecord(BootstrapPlan plan, BootstrapRecord record) {
        return new BootstrapPlan(plan.step(), record, plan.nextCheck());
    }

    /** Events and metrics for a job that reached a final phase in this pass. */
    private void report(HealingCluster hc, String id, BootstrapRecord before, BootstrapRecord after, BootstrapPolicy policy, Instant now) {
        if (after.phase() == before.phase() || !before.inFlight()) {
            return;
        }
        Duration took = after.triggeredAt() == null ? Duration.ZERO : Duration.between(after.triggeredAt(), now);
        if (after.phase() == BootstrapPhase.Succeeded) {
            metrics.job(hc, "succeeded");
            metrics.finished(hc, took);
            events.normal(hc, Reason.BootstrapSucceeded, "Bootstrap", id + ": job " + after.jobId() + " succeeded after attempt " + after.attempts());
        } else if (after.phase() == BootstrapPhase.Failed) {
            metrics.job(hc, after.lastFailure() == BootstrapFailure.JobTimedOut ? "timed_out" : "failed");
            metrics.finished(hc, took);
            boolean last = after.gaveUp(policy.maxAttempts());
            if (last) {
                metrics.job(hc, "gave_up");
            }
            events.warning(hc, Reason.BootstrapFailed, "Bootstrap", id + ": job " + after.jobId() + " " + after.lastFailure() + " ("
                    + after.message() + "), attempt " + after.attempts() + " of " + policy.maxAttempts()
                    + (last ? ": giving up, the machine will be replaced" : ": retrying at " + after.nextAttemptAt()));
        }
    }
}
