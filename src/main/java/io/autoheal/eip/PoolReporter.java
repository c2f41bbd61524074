package io.autoheal.eip;

import io.autoheal.fleet.AwsScope;
import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.ElasticIpPoolStatus;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import io.autoheal.metrics.PoolMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The pool's status, conditions, gauges — and the exhaustion episode: when Exhausted turns True the infra team
 * is told once (Warning Event + webhook), and once more when it turns False again.
 */
@ApplicationScoped
public class PoolReporter {
    /** The Exhausted condition names at most this many waiting clusters. */
    static final int WAITING_CLUSTERS_NAMED = 10;
    /** The ForeignAddresses condition names at most this many addresses. */
    static final int FOREIGN_NAMED = 5;
    private final EventRecorder events;
    private final PoolMetrics metrics;
    private final ExhaustionNotifier notifier;

    public PoolReporter(EventRecorder events, PoolMetrics metrics, ExhaustionNotifier notifier) {
        this.events = events;
        this.metrics = metrics;
        this.notifier = notifier;
    }

    /** As below, for a plan whose associations AWS all accepted. */
    public ElasticIpPoolStatus report(ElasticIpPool pool, ElasticIpPoolStatus previous, Conditions conditions, AwsScope scope,
                                      AllocationPlan plan, Instant now) {
        return report(pool, previous, conditions, scope, plan, List.of(), now);
    }

    /**
     * @param refused the plan's associations AWS refused because the address was taken meanwhile
     *                ({@link PoolActuator.Result#refusedAssociations()})
     */
    public ElasticIpPoolStatus report(ElasticIpPool pool, ElasticIpPoolStatus previous, Conditions conditions, AwsScope scope,
                                      AllocationPlan plan, Collection<AllocationPlan.Associate> refused, Instant now) {
        String ns = pool.getMetadata().getNamespace();
        String name = pool.getMetadata().getName();
        ElasticIpPoolStatus status = new ElasticIpPoolStatus();
        status.observedGeneration = pool.getMetadata().getGeneration();
        status.region = scope.region();
        status.awsIdentity = previous.awsIdentity; // recorded before the first AWS write (tenant.TenantScopeGuard), kept
        PoolStatusSummary.fill(status, plan, refused, previous, now);

        boolean wasExhausted = Conditions.isTrue(previous.conditions, ConditionType.Exhausted);
        boolean exhausted = plan.exhausted();
        String waitingText = waitingText(plan.unservedByCluster());
        if (exhausted) {
            String message = plan.waiting() + " machine(s) wait for an address (" + waitingText + "); " + status.free + " of "
                    + status.total + " free, " + status.foreign + " foreign";
            conditions.set(ConditionType.Exhausted, true, Reason.EipPoolExhausted, message);
            conditions.set(ConditionType.Ready, false, Reason.EipPoolExhausted, message);
            if (!wasExhausted) {
                events.warning(pool, Reason.EipPoolExhausted, "Allocate", "Pool exhausted: " + message);
                notifier.notify(ns, name, ":rotating_light: Elastic IP pool " + ns + "/" + name + " is exhausted: " + message
                        + ". Add addresses to the pool or scale a cluster down.");
            }
        } else {
            String message = status.assigned + " assigned, " + status.free + " free of " + status.total;
            conditions.set(ConditionType.Exhausted, false, Reason.AddressesAvailable, message);
            conditions.set(ConditionType.Ready, true, Reason.Reconciled, message);
            if (wasExhausted) {
                events.normal(pool, Reason.AddressesAvailable, "Allocate", "Pool recovered: " + message);
                notifier.notify(ns, name, ":white_check_mark: Elastic IP pool " + ns + "/" + name + " recovered: " + message);
            }
        }
        foreign(pool, previous, conditions, plan);
        status.conditions = conditions.build();
        metrics.addresses(ns, name, status.free, status.assigned, status.foreign, status.waiting);
        metrics.exhausted(ns, name, exhausted);
        return status;
    }

    /**
     * ForeignAddresses: True while some of the pool's addresses are not its to move, naming who holds them; a Warning
     * Event each time that list changes (not on every pass).
     */
    private void foreign(ElasticIpPool pool, ElasticIpPoolStatus previous, Conditions conditions, AllocationPlan plan) {
        if (plan.foreignHolders().isEmpty()) {
            conditions.set(ConditionType.ForeignAddresses, false, Reason.Reconciled, "Every address of the pool is free or on a machine"
                    + " of its clusters");
            return;
        }
        String message = foreignText(plan);
        conditions.set(ConditionType.ForeignAddresses, true, Reason.ForeignAddress, message);
        boolean same = Conditions.find(previous.conditions, ConditionType.ForeignAddresses)
                .filter(c -> "True".equals(c.getStatus()) && message.equals(c.getMessage())).isPresent();
        if (!same) {
            events.warning(pool, Reason.ForeignAddress, "Observe", message);
        }
    }

    /** The foreign addresses, the first few by allocation id, each with its public IP and who holds it. */
    static String foreignText(AllocationPlan plan) {
        Map<String, String> ips = plan.addresses().stream().filter(v -> v.publicIp() != null)
                .collect(Collectors.toMap(AllocationPlan.AddressView::allocationId, AllocationPlan.AddressView::publicIp, (a, b) -> a));
        Map<String, String> holders = plan.foreignHolders();
        String shown = holders.entrySet().stream().limit(FOREIGN_NAMED)
                .map(e -> e.getKey() + " (" + ips.getOrDefault(e.getKey(), "?") + ") " + e.getValue())
                .collect(Collectors.joining("; "));
        int more = holders.size() - FOREIGN_NAMED;
        return holders.size() + " address(es) of the pool are not its to move and are left where they are: " + shown
                + (more > 0 ? "; and " + more + " more (status.attention)" : "");
    }

    public ElasticIpPoolStatus problem(ElasticIpPool pool, ElasticIpPoolStatus previous, Conditions conditions, AwsScope scope, String message) {
        return problem(pool, previous, conditions, scope, Reason.AwsError, message);
    }

    /** As above, with the reason AWS' answer maps to (e.g. AwsAccessDenied, AwsBadRequest). */
    public ElasticIpPoolStatus problem(ElasticIpPool pool, ElasticIpPoolStatus previous, Conditions conditions, AwsScope scope,
                                       Reason reason, String message) {
        ElasticIpPoolStatus status = new ElasticIpPoolStatus();
        status.observedGeneration = pool.getMetadata().getGeneration();
        status.region = scope.region();
        status.awsIdentity = previous.awsIdentity; // recorded before the first AWS write (tenant.TenantScopeGuard), kept
        status.total = previous.total;
        status.free = previous.free;
        status.assigned = previous.assigned;
        status.foreign = previous.foreign;
        status.releasing = previous.releasing;
        status.refused = previous.refused;
        status.waiting = previous.waiting;
        status.awaitingRelease = previous.awaitingRelease;
        status.clusters = previous.clusters;
        status.clustersOmitted = previous.clustersOmitted;
        status.attention = previous.attention;
        status.attentionOmitted = previous.attentionOmitted;
        conditions.carry(ConditionType.Exhausted); // AWS could not be read: the last known exhaustion stands
        conditions.carry(ConditionType.ForeignAddresses);
        conditions.set(ConditionType.Ready, false, reason, message);
        status.conditions = conditions.build();
        return status;
    }

    /** The clusters with waiting machines, the first few of them: a condition message stays short on a pool of any size. */
    static String waitingText(Map<String, Integer> unservedByCluster) {
        String shown = unservedByCluster.entrySet().stream().limit(WAITING_CLUSTERS_NAMED)
                .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
        int more = unservedByCluster.size() - WAITING_CLUSTERS_NAMED;
        return more > 0 ? shown + " and " + more + " more cluster(s)" : shown;
    }
}
