package io.autoheal.bootstrap;

import io.autoheal.fleet.AwsScope;
import io.autoheal.api.v1alpha1.DrainSpec;
import io.autoheal.api.v1alpha1.DrainTimeoutAction;
import io.autoheal.api.v1alpha1.Durations;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterStatus;
import io.autoheal.api.v1alpha1.InstanceHealth;
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
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One pass of a cluster's drains (spec.drain): every machine waiting in Terminating:Wait at the operator's
 * terminating hook gets one drain job, tracked like a bootstrap job — the record in status.instances[].drain, the
 * job id tagged on the instance (autoheal.io/drain-job) right after the trigger, so a restarted operator adopts the
 * job instead of starting another and never skips it — heartbeats while it runs long, and at its end
 * CompleteLifecycleAction CONTINUE ({@link DrainPlanner}). The machine keeps its Elastic IP until then: EC2 still runs
 * it, and the pool moves an address only off a machine EC2 is ending.
 */
@ApplicationScoped
public class ClusterDrainer {
    private static final Logger LOG = Logger.getLogger(ClusterDrainer.class);
    /** The lifecycle state of a machine held by a terminating hook. */
    public static final String TERMINATING_WAIT = "Terminating:Wait";
    private final OperatorConfig config;
    private final GroupWrites groups;
    private final LifecycleActions asgWriter;
    private final CloudErrors errors;
    private final BootstrapRunners runners;
    private final EventRecorder events;
    private final BootstrapCalls calls;

    public ClusterDrainer(OperatorConfig config, GroupWrites groups, LifecycleActions asgWriter, BootstrapRunners runners, EventRecorder events,
                          CloudErrors errors, BootstrapCalls calls) {
        this.calls = calls;
        this.groups = groups;
        this.errors = errors;
        this.config = config;
        this.asgWriter = asgWriter;
        this.runners = runners;
        this.events = events;
    }

    /** Each draining machine's record (for status), the machines kept by onTimeout Keep, and when to look again. */
    public record Result(Map<String, BootstrapRecord> records, List<String> kept, Optional<Instant> nextCheck) {
        public static Result none() {
            return new Result(Map.of(), List.of(), Optional.empty());
        }
    }

    public BootstrapPolicy policy(DrainSpec spec) {
        return new BootstrapPolicy(Durations.parseOr(spec.timeout, DrainSpec.DEFAULT_TIMEOUT), 1, config.bootstrap().retryBackoff(),
                config.bootstrap().retryBackoffMax(), true, ClusterBootstrapper.HEARTBEAT_INTERVAL, config.bootstrap().pollInterval());
    }

    public Result run(HealingCluster hc, AwsScope scope, ClusterObservation observed, HealingClusterStatus previous, Instant now) {
        DrainSpec spec = hc.getSpec().drain;
        if (spec == null || observed.asg().isEmpty()) {
            return Result.none();
        }
        BootstrapPolicy policy = policy(spec);
        boolean keep = spec.onTimeout == DrainTimeoutAction.Keep;
        Map<String, InstanceStatus> rows = new HashMap<>();
        Optional.ofNullable(previous.instances).orElse(List.<InstanceStatus>of()).forEach(r -> rows.put(r.instanceId, r));
        String asgName = observed.asg().get().name();
        Map<String, BootstrapRecord> records = new HashMap<>();
        List<String> kept = new java.util.ArrayList<>();
        Optional<Instant> next = Optional.empty();
        BootstrapRunner runner = null;
        for (ObservedAsg.AsgMember m : observed.asg().get().members()) {
            ObservedInstance i = observed.instances().get(m.instanceId());
            if (!TERMINATING_WAIT.equals(m.lifecycleState()) || i == null) {
                continue;
            }
            InstanceStatus row = rows.get(m.instanceId());
            String tagged = i.tags().get(Tags.DRAIN_JOB);
            BootstrapRecord before = BootstrapRows.restore(row == null ? null : row.drain, tagged, policy, now);
            BootstrapTarget target = new BootstrapTarget(m.instanceId(), i.privateIp(), "running".equals(i.state()), true, true);
            DrainPlanner.Plan plan = DrainPlanner.plan(target, before, policy, keep, reportedLeaving(row), now);
            BootstrapRecord after = plan.record();
            if (!hc.getSpec().paused) {
                if (runner == null && needsRunner(plan.kind())) {
                    runner = runners.forDrain(hc);
                }
                after = act(hc, scope, asgName, target, plan, tagged, runner, policy, now);
            }
            report(hc, m.instanceId(), before, after, now);
            if (plan.kind() == DrainPlanner.Kind.KEEP) {
                kept.add(m.instanceId());
            }
            records.put(m.instanceId(), after);
            next = earliest(next, plan.nextCheck());
        }
        return new Result(records, kept, next);
    }

    /** The last status (what discovery published) showed the machine leaving: it is out of the published lists. */
    static boolean reportedLeaving(InstanceStatus row) {
        return row != null && row.health == InstanceHealth.Leaving && row.lifecycle != null && row.lifecycle.startsWith("Terminating");
    }

    private static boolean needsRunner(DrainPlanner.Kind kind) {
        return kind == DrainPlanner.Kind.TRIGGER || kind == DrainPlanner.Kind.POLL || kind == DrainPlanner.Kind.HEARTBEAT;
    }

    private BootstrapRecord act(HealingCluster hc, AwsScope scope, String asgName, BootstrapTarget target, DrainPlanner.Plan plan,
                                String tagged, BootstrapRunner runner, BootstrapPolicy policy, Instant now) {
        String id = target.instanceId();
        BootstrapRecord r = plan.record();
        switch (plan.kind()) {
            case TRIGGER -> {
                Optional<TriggerResult> answered = calls.trigger(hc.ownerKey(), "drain", runner, new BootstrapRequest(id, target.privateIp(),
                        List.of(hc.getSpec().drain.role), hc.getSpec().environment,
                        hc.getSpec().drain.http == null ? Map.of() : hc.getSpec().drain.http.extraVars, plan.attempt()));
                if (answered.isEmpty()) {
                    return r; // the call runs off the pass; its end wakes the cluster
                }
                TriggerResult t = answered.get();
                BootstrapRecord after = BootstrapStateMachine.onTrigger(r, t, policy, now);
                if (t.kind() == TriggerResult.Kind.STARTED) {
                    tag(hc, scope, id, t.jobId()); // first: a crash before the status write must not start a second drain
                    events.normal(hc, Reason.DrainTriggered, "TriggerDrain", id + " waits in Terminating:Wait: drain job " + t.jobId()
                            + " started (role " + hc.getSpec().drain.role + ")");
                } else if (t.kind() == TriggerResult.Kind.SENT_ANSWER_LOST && after.awaitingAnswer()) {
                    events.warning(hc, Reason.DrainRetry, "TriggerDrain", id + ": " + t.failure() + ": " + t.message()
                            + "; the drain trigger is sent again with the same idempotency key at " + after.nextAttemptAt()
                            + " (spec.drain.timeout " + policy.timeout() + " decides only at its end)");
                } else {
                    events.warning(hc, Reason.DrainFailed, "TriggerDrain", id + ": " + t.failure() + ": " + t.message());
                }
                return after;
            }
            case HEARTBEAT -> {
                if (lifecycle(hc, () -> asgWriter.drainHeartbeat(scope, asgName, id), id, "RecordLifecycleActionHeartbeat")) {
                    r = BootstrapStateMachine.onHeartbeat(r, now);
                }
                return continueIfDrained(hc, scope, asgName, id, poll(hc, scope, target, r, tagged, runner, policy, now));
            }
            case POLL -> {
                return continueIfDrained(hc, scope, asgName, id, poll(hc, scope, target, r, tagged, runner, policy, now));
            }
            case CONTINUE, CONTINUE_UNDRAINED -> {
                if (lifecycle(hc, () -> asgWriter.completeDrain(scope, asgName, id), id, "CompleteLifecycleAction")) {
                    if (plan.kind() == DrainPlanner.Kind.CONTINUE) {
                        events.normal(hc, Reason.TerminationContinued, "CompleteLifecycleAction", id + " drained: termination continues (CONTINUE)");
                    } else {
                        events.warning(hc, Reason.DrainTimedOut, "CompleteLifecycleAction", id + ": drain did not succeed within "
                                + policy.timeout() + (r.message() == null ? "" : " (" + r.message() + ")")
                                + ": terminating it anyway (spec.drain.onTimeout: Continue)");
                    }
                }
                return r;
            }
            case KEEP -> {
                if (plan.heartbeat() && lifecycle(hc, () -> asgWriter.drainHeartbeat(scope, asgName, id), id, "RecordLifecycleActionHeartbeat")) {
                    return BootstrapStateMachine.onHeartbeat(r, now);
                }
                return r;
            }
            default -> {
                return r;
            }
        }
    }

    /** A drain that just succeeded lets its machine go in the same pass, not one poll interval later. */
    private BootstrapRecord continueIfDrained(HealingCluster hc, AwsScope scope, String asgName, String id, BootstrapRecord r) {
        if (r.phase() == BootstrapPhase.Succeeded
                && lifecycle(hc, () -> asgWriter.completeDrain(scope, asgName, id), id, "CompleteLifecycleAction")) {
            events.normal(hc, Reason.TerminationContinued, "CompleteLifecycleAction", id + " drained: termination continues (CONTINUE)");
        }
        return r;
    }

    private BootstrapRecord poll(HealingCluster hc, AwsScope scope, BootstrapTarget target, BootstrapRecord r, String tagged,
                                 BootstrapRunner runner, BootstrapPolicy policy, Instant now) {
        if (!r.jobId().equals(tagged)) {
            tag(hc, scope, target.instanceId(), r.jobId());
        }
        Optional<JobStatus> answered = calls.status(hc.ownerKey(), "drain", runner, target.instanceId(), r.jobId(), target.privateIp());
        if (answered.isEmpty()) {
            return ClusterBootstrapper.unanswered(r, policy, now, config.bootstrap().requestTimeout());
        }
        return BootstrapStateMachine.onPoll(r, answered.get(), policy, now);
    }

    /** Events for a drain job that reached a final phase, and once for a machine kept at its timeout. */
    private void report(HealingCluster hc, String id, BootstrapRecord before, BootstrapRecord after, Instant now) {
        if (after.phase() == before.phase() || !before.inFlight()) {
            return;
        }
        Duration took = after.triggeredAt() == null ? Duration.ZERO : Duration.between(after.triggeredAt(), now);
        if (after.phase() == BootstrapPhase.Succeeded) {
            events.normal(hc, Reason.DrainSucceeded, "Drain", id + ": drain job " + after.jobId() + " succeeded after " + took.toSeconds() + "s");
        } else if (after.phase() == BootstrapPhase.Failed) {
            boolean keep = hc.getSpec().drain.onTimeout == DrainTimeoutAction.Keep;
            events.warning(hc, keep ? Reason.DrainKept : Reason.DrainFailed, "Drain", id + ": drain job " + after.jobId() + " "
                    + after.lastFailure() + " (" + after.message() + ")" + (keep
                    ? ": the machine stays in Terminating:Wait (spec.drain.onTimeout: Keep); complete its lifecycle action by hand when done"
                    : ": terminating it anyway (spec.drain.onTimeout: Continue)"));
        }
    }

    private void tag(HealingCluster hc, AwsScope scope, String instanceId, String jobId) {
        try {
            groups.tagInstance(scope, instanceId, Tags.DRAIN_JOB, jobId);
        } catch (CloudFailure e) {
            LOG.warnf("tagging %s with drain job %s failed: %s", instanceId, jobId, e.getClass().getSimpleName());
            events.warning(hc, Reason.AwsError, "TagDrainJob", instanceId + ": could not tag drain job " + jobId + ": " + errors.describe(e));
        }
    }

    private boolean lifecycle(HealingCluster hc, Runnable call, String instanceId, String action) {
        try {
            call.run();
            return true;
        } catch (CloudFailure e) {
            LOG.warnf("%s (drain hook) for %s failed: %s", action, instanceId, e.getMessage());
            events.warning(hc, Reason.AwsError, action, instanceId + ": " + errors.describe(e));
            return false;
        }
    }

    private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isEmpty() || a.get().isBefore(b.get()) ? a : b;
    }
}
