package io.autoheal.eip;

import io.autoheal.api.v1alpha1.AddressAssignment;
import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.ElasticIpPoolStatus;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import io.autoheal.metrics.PoolMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The pool's status, conditions, gauges — and the exhaustion episode: when Exhausted turns True the infra team
 * is told once (Warning Event + webhook), and once more when it turns False again.
 */
@ApplicationScoped
public class PoolReporter {
    private final EventRecorder events;
    private final PoolMetrics metrics;
    private final ExhaustionNotifier notifier;

    public PoolReporter(EventRecorder events, PoolMetrics metrics, ExhaustionNotifier notifier) {
        this.events = events;
        this.metrics = metrics;
        this.notifier = notifier;
    }

    public ElasticIpPoolStatus report(ElasticIpPool pool, ElasticIpPoolStatus previous, Conditions conditions, String region,
                                      AllocationPlan plan, Instant now) {
        String ns = pool.getMetadata().getNamespace();
        String name = pool.getMetadata().getName();
        ElasticIpPoolStatus status = new ElasticIpPoolStatus();
        status.observedGeneration = pool.getMetadata().getGeneration();
        status.region = region;
        status.total = plan.addresses().size();
        status.free = plan.count(AllocationPlan.AddressState.FREE);
        status.assigned = plan.count(AllocationPlan.AddressState.ASSIGNED);
        status.foreign = plan.foreign();
        status.waiting = plan.waiting();
        status.assignments = assignments(plan, previous, now);

        boolean wasExhausted = Conditions.isTrue(previous.conditions, ConditionType.Exhausted);
        boolean exhausted = plan.exhausted();
        String waitingText = plan.unservedByCluster().entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
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
        status.conditions = conditions.build();
        metrics.addresses(ns, name, status.free, status.assigned, status.foreign, status.waiting);
        metrics.exhausted(ns, name, exhausted);
        return status;
    }

    public ElasticIpPoolStatus problem(ElasticIpPool pool, ElasticIpPoolStatus previous, Conditions conditions, String region, String message) {
        return problem(pool, previous, conditions, region, Reason.AwsError, message);
    }

    /** As above, with the reason AWS' answer maps to (e.g. AwsAccessDenied, AwsBadRequest). */
    public ElasticIpPoolStatus problem(ElasticIpPool pool, ElasticIpPoolStatus previous, Conditions conditions, String region,
                                       Reason reason, String message) {
        ElasticIpPoolStatus status = new ElasticIpPoolStatus();
        status.observedGeneration = pool.getMetadata().getGeneration();
        status.region = region;
        status.total = previous.total;
        status.free = previous.free;
        status.assigned = previous.assigned;
        status.foreign = previous.foreign;
        status.waiting = previous.waiting;
        status.assignments = previous.assignments;
        conditions.carry(ConditionType.Exhausted); // AWS could not be read: the last known exhaustion stands
        conditions.set(ConditionType.Ready, false, reason, message);
        status.conditions = conditions.build();
        return status;
    }

    /** Keeps each assignment's "since" while it does not change. */
    private static List<AddressAssignment> assignments(AllocationPlan plan, ElasticIpPoolStatus previous, Instant now) {
        List<AddressAssignment> out = new ArrayList<>();
        for (AllocationPlan.AddressView v : plan.addresses()) {
            AddressAssignment a = new AddressAssignment();
            a.allocationId = v.allocationId();
            a.publicIp = v.publicIp();
            a.state = switch (v.state()) {
                case FREE -> "Free";
                case ASSIGNED -> "Assigned";
                case FOREIGN -> "Foreign";
                case RELEASING -> "Releasing";
            };
            a.cluster = v.cluster();
            a.instanceId = v.instanceId();
            a.since = previous.assignments == null ? null : previous.assignments.stream()
                    .filter(p -> v.allocationId().equals(p.allocationId) && a.state.equals(p.state)
                            && java.util.Objects.equals(a.instanceId, p.instanceId))
                    .map(p -> p.since).findFirst().orElse(null);
            if (a.since == null) {
                a.since = now.truncatedTo(ChronoUnit.SECONDS).toString();
            }
            out.add(a);
        }
        return out;
    }
}
