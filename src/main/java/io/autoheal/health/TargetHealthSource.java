package io.autoheal.health;

import io.autoheal.api.v1alpha1.Durations;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterSpec;
import io.autoheal.cluster.healing.AppSignal;
import io.autoheal.tenant.AwsScopes;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.fleet.ClusterObservation;
import io.autoheal.fleet.ObservedTargetHealth;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Reason;
import io.autoheal.fleet.TargetHealthReads;
import io.autoheal.kube.Conditions;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * spec.health.targetGroupArns: a machine whose target stays unhealthy for spec.health.unhealthyAfter is Unhealthy
 * (TargetUnhealthy). Judged ({@link TargetHealthJudge}) from the target health the region's inventory read last; the
 * first-seen times are kept per cluster, replaced by each pass (so they never outlive the cluster's members), and
 * dropped with the cluster ({@link #forget}).
 */
@ApplicationScoped
@io.quarkus.arc.Unremovable // found only through ClusterObserver's @All List<HealthSignalSource>
public class TargetHealthSource implements HealthSignalSource, HealthWatch {
    private final TargetHealthReads reads;
    private final AwsScopes scopes;
    private final Map<String, Map<TargetHealthJudge.Key, Instant>> since = new ConcurrentHashMap<>();
    private final InServiceTimes inService = new InServiceTimes();

    /** @param scopes where a cluster's target health was read (its region and namespace's identity) */
    @jakarta.inject.Inject
    public TargetHealthSource(TargetHealthReads reads, AwsScopes scopes) {
        this.reads = reads;
        this.scopes = scopes;
    }

    /** What the cluster's scope read last; nothing while its scope cannot be used (the pass says why). */
    private ObservedTargetHealth observed(HealingCluster cluster) {
        try {
            return reads.targetHealth(scopes.of(cluster.getMetadata().getNamespace(), cluster.getSpec().region));
        } catch (io.autoheal.fleet.CloudFailure e) {
            return ObservedTargetHealth.NONE;
        }
    }

    /** Learns when each machine came into service: the grace counts from then, never from its bootstrap. */
    @Override
    public void seen(HealingCluster cluster, ClusterObservation observed, List<InstanceStatus> rows, Instant now) {
        inService.seen(cluster.ownerKey(), rows, cluster.getSpec().elasticIps != null && cluster.getSpec().elasticIps.required, now);
    }

    /** The cluster is gone: its first-seen times and in-service moments with it (members that left drop out each pass). */
    @Override
    public void forget(HealingCluster cluster) {
        since.remove(cluster.ownerKey());
        inService.forget(cluster.ownerKey());
    }

    /** How many clusters this source keeps anything for (bounded by the live clusters that use it). */
    public int clustersKept() {
        java.util.Set<String> keys = new java.util.HashSet<>(since.keySet());
        keys.addAll(inService.keys());
        return keys.size();
    }

    /**
     * A listed target group whose last read failed (e.g. IAM without elasticloadbalancing:DescribeTargetHealth) is
     * said, naming it and AWS's error code: otherwise target-group healing would silently do nothing.
     */
    @Override
    public void conditions(HealingCluster cluster, Conditions conditions) {
        HealingClusterSpec spec = cluster.getSpec();
        if (spec.health == null || spec.health.targetGroupArns == null || spec.health.targetGroupArns.isEmpty()) {
            return;
        }
        ObservedTargetHealth observed = observed(cluster);
        List<String> unread = spec.health.targetGroupArns.stream().filter(observed.unread()::containsKey).sorted()
                .map(arn -> TargetHealthJudge.name(arn) + " (" + observed.unread().get(arn) + ")").toList();
        if (unread.isEmpty()) {
            conditions.set(ConditionType.TargetHealthUnknown, false, Reason.TargetHealthRead, "");
        } else {
            conditions.set(ConditionType.TargetHealthUnknown, true, Reason.TargetHealthUnreadable, "DescribeTargetHealth failed for "
                    + String.join(", ", unread) + ": their targets' health is unknown, so no machine is replaced on it"
                    + " (check the operator's IAM permission elasticloadbalancing:DescribeTargetHealth; docs/runbook.md)");
        }
    }

    @Override
    public Map<String, List<AppSignal>> failing(HealingCluster cluster, Collection<String> members, Instant now) {
        HealingClusterSpec spec = cluster.getSpec();
        if (spec.health == null || spec.health.targetGroupArns == null || spec.health.targetGroupArns.isEmpty()) {
            since.remove(cluster.ownerKey());
            return Map.of();
        }
        Duration grace = Durations.parseOr(spec.health.unhealthyAfter, Duration.ofMinutes(5));
        TargetHealthJudge.Judgement j = TargetHealthJudge.judge(since.getOrDefault(cluster.ownerKey(), Map.of()), observed(cluster),
                spec.health.targetGroupArns, members, inService.of(cluster.ownerKey()), grace, now);
        if (j.unhealthySince().isEmpty()) {
            since.remove(cluster.ownerKey());
        } else {
            since.put(cluster.ownerKey(), j.unhealthySince());
        }
        return j.signals();
    }
}
