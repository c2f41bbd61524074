package io.autoheal.cluster;

import io.autoheal.fleet.AwsScope;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.cluster.healing.Verdict;
import io.autoheal.cluster.plan.ClusterCommand;
import io.autoheal.cluster.plan.ClusterPlan;
import io.autoheal.fleet.CloudErrors;
import io.autoheal.fleet.GroupWrites;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import io.autoheal.metrics.ClusterMetrics;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Carries out a {@link ClusterPlan} through the fleet ports, in its order, with an Event and a counter per action.
 * A journal write that fails ends the pass (nothing it announced is terminated); a failed terminate is reported and
 * the next replacement still runs; a failed resize step ends the resize.
 */
@ApplicationScoped
public class PlanExecutor {
    private final GroupWrites group;
    private final RemediationJournal journal;
    private final EventRecorder events;
    private final ClusterMetrics metrics;
    private final CloudErrors errors;

    public PlanExecutor(GroupWrites group, RemediationJournal journal, EventRecorder events, ClusterMetrics metrics, CloudErrors errors) {
        this.group = group;
        this.journal = journal;
        this.events = events;
        this.metrics = metrics;
        this.errors = errors;
    }

    public void execute(HealingCluster hc, AwsScope scope, String asgName, ClusterPlan plan) {
        for (ClusterCommand command : plan.replacements()) {
            try {
                run(hc, scope, asgName, command);
            } catch (RuntimeException e) {
                if (!CloudFailures.isCloudFailure(e) || !(command instanceof ClusterCommand.Replace r)) {
                    throw e;
                }
                events.warning(hc, Reason.AwsError, action(r.reason()), "Could not replace " + r.instanceId() + ": " + errors.describe(e));
            }
        }
        try {
            for (ClusterCommand command : plan.resize()) {
                run(hc, scope, asgName, command);
            }
        } catch (RuntimeException e) {
            if (!CloudFailures.isCloudFailure(e)) {
                throw e;
            }
            events.warning(hc, Reason.AwsError, "Resize", "Could not resize " + asgName + ": " + errors.describe(e));
        }
        plan.notices().forEach(command -> run(hc, scope, asgName, command));
    }

    private void run(HealingCluster hc, AwsScope scope, String asgName, ClusterCommand command) {
        if (command instanceof ClusterCommand.Journal j) {
            journal.append(hc, j.added(), j.now()); // intent first: if this write fails, nothing is terminated
        } else if (command instanceof ClusterCommand.Replace r) {
            group.replaceInstance(scope, r.instanceId());
            metrics.remediation(hc, r.reason().name());
            if (r.reason() == Verdict.Reason.Outdated) {
                events.normal(hc, Reason.Remediated, action(r.reason()), r.message());
            } else {
                events.warning(hc, Reason.Remediated, action(r.reason()), r.message());
            }
        } else if (command instanceof ClusterCommand.SetCapacity s) {
            group.setDesired(scope, asgName, s.desired());
            events.normal(hc, Reason.Surged, "SetDesiredCapacity", s.message());
        } else if (command instanceof ClusterCommand.Remove r) {
            group.removeInstance(scope, r.instanceId());
            if (r.removal() == ClusterCommand.Removal.ROLLED) {
                metrics.remediation(hc, Verdict.Reason.Outdated.name());
                events.normal(hc, Reason.Remediated, "RollInstance", r.message());
            } else if (r.removal() == ClusterCommand.Removal.SCALED_IN) {
                events.normal(hc, Reason.Scaling, "RemoveInstance", r.message());
            } else { // surge-replaced or failed: a replacement
                metrics.remediation(hc, r.reason().name());
                events.warning(hc, Reason.Remediated, "ReplaceInstance", r.message());
            }
        } else if (command instanceof ClusterCommand.Announce a) {
            events.warning(hc, Reason.InstanceTerminatedExternally, "Observe", a.message());
        }
    }

    private static String action(Verdict.Reason reason) {
        return reason == Verdict.Reason.Outdated ? "RollInstance" : "ReplaceInstance";
    }
}
