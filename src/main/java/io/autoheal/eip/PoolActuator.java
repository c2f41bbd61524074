package io.autoheal.eip;

import io.autoheal.fleet.AwsScope;
import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.fleet.AddressWrites;
import io.autoheal.fleet.CloudErrors;
import io.autoheal.fleet.CloudFailure;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import io.autoheal.metrics.PoolMetrics;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Executes an allocation plan. Each action stands alone: a refused or failed association is reported (Event,
 * counter) and the rest of the plan still runs; the next pass re-observes and re-plans. An association that
 * AWS refuses because the address is taken is never retried with reassociation.
 */
@ApplicationScoped
public class PoolActuator {
    static final String ALREADY_ASSOCIATED = AddressWrites.ALREADY_ASSOCIATED;
    /** DisassociateAddress on an association AWS no longer has. */
    static final String ASSOCIATION_GONE = AddressWrites.ASSOCIATION_GONE;
    private final AddressWrites gateway;
    private final EventRecorder events;
    private final PoolMetrics metrics;
    private final CloudErrors errors;

    public PoolActuator(AddressWrites gateway, EventRecorder events, PoolMetrics metrics, CloudErrors errors) {
        this.errors = errors;
        this.gateway = gateway;
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * How the plan went: what was done makes the next pass come sooner.
     *
     * @param refusedAssociations associations AWS refused because the address was taken meanwhile (counted in failed too)
     */
    public record Result(int done, int failed, List<AllocationPlan.Associate> refusedAssociations) {
        public Result {
            refusedAssociations = List.copyOf(refusedAssociations);
        }

        public int refused() {
            return refusedAssociations.size();
        }
    }

    /** @param claim this pool's claim: written before an unclaimed address is adopted or given */
    public Result execute(ElasticIpPool pool, AwsScope scope, AllocationPlan plan, List<HealingCluster> clusters, PoolClaim claim) {
        String ns = pool.getMetadata().getNamespace();
        String name = pool.getMetadata().getName();
        Map<String, HealingCluster> byKey = clusters.stream().collect(Collectors.toMap(HealingCluster::ownerKey, Function.identity()));
        Map<String, String> ips = plan.addresses().stream()
                .collect(Collectors.toMap(AllocationPlan.AddressView::allocationId, v -> String.valueOf(v.publicIp()), (a, b) -> a));
        int done = 0;
        int failed = 0;
        List<AllocationPlan.Associate> refused = new ArrayList<>();
        done += adopt(pool, scope, plan, claim);
        for (AllocationPlan.Disassociate d : plan.disassociate()) {
            try {
                gateway.disassociate(scope, d.associationId());
                metrics.association(ns, name, "disassociated");
                events.normal(pool, Reason.EipDisassociated, "DisassociateAddress", "Freed " + ips.get(d.allocationId())
                        + " (" + d.allocationId() + ") from " + d.instanceId() + ": " + d.reason().name().toLowerCase().replace('_', ' '));
                done++;
            } catch (CloudFailure e) {
                if (ASSOCIATION_GONE.equals(errors.errorCode(e))) {
                    // Already free (the instance's termination released it, or a repeat after a lost answer): done.
                    metrics.association(ns, name, "disassociated");
                    done++;
                    continue;
                }
                failed++;
                metrics.association(ns, name, "failed");
                events.warning(pool, errors.reason(e), "DisassociateAddress", d.allocationId() + ": " + errors.describe(e));
            }
        }
        List<String> associated = new ArrayList<>();
        Map<String, List<String>> associatedByCluster = new java.util.TreeMap<>();
        for (AllocationPlan.Associate a : plan.associate()) {
            String ip = ips.get(a.allocationId());
            HealingCluster cluster = byKey.get(a.cluster());
            try {
                if (plan.claimFirst().contains(a.allocationId()) && !gateway.claim(scope, a.allocationId(), claim.value())) {
                    // Another pool's claim read back: it is theirs now (foreign on the next pass), never ours to move.
                    failed++;
                    refused.add(a);
                    metrics.association(ns, name, "refused");
                    events.warning(pool, Reason.AddressClaimLost, "CreateTags", "Did not associate " + ip + " (" + a.allocationId()
                            + ") with " + a.instanceId() + ": another pool claimed it first; re-planning");
                    continue;
                }
                gateway.associate(scope, a.allocationId(), a.instanceId(), a.cluster());
                metrics.association(ns, name, "associated");
                String item = ip + " (" + a.allocationId() + ") with " + a.instanceId()
                        + switch (a.reason()) {
                            case PREDECESSOR_ADDRESS -> " (its predecessor's address)";
                            case CLUSTERS_FORMER_ADDRESS -> " (an address its cluster held before)";
                            default -> "";
                        };
                associated.add(item);
                if (cluster != null) {
                    associatedByCluster.computeIfAbsent(a.cluster(), c -> new ArrayList<>()).add(item);
                }
                done++;
            } catch (CloudFailure e) {
                failed++;
                boolean taken = ALREADY_ASSOCIATED.equals(errors.errorCode(e));
                if (taken) {
                    refused.add(a);
                    forgetAssignment(pool, scope, a);
                }
                metrics.association(ns, name, taken ? "refused" : "failed");
                String message = (taken ? "AWS refused to associate " + ip + " with " + a.instanceId()
                        + ": the address is already in use (someone else took it); re-planning"
                        : "Associating " + ip + " with " + a.instanceId() + " failed: " + errors.describe(e));
                Log.warnf("pool %s/%s: %s", ns, name, message);
                events.warning(pool, taken ? Reason.EipAssociationRefused : errors.reason(e), "AssociateAddress", message);
            }
        }
        AssociationEvents.messages(associated).forEach(m -> events.normal(pool, Reason.EipAssociated, "AssociateAddress", m));
        associatedByCluster.forEach((key, items) -> AssociationEvents.messages(items)
                .forEach(m -> events.normal(byKey.get(key), Reason.EipAssociated, "AssociateAddress", m)));
        return new Result(done, failed, refused);
    }

    /**
     * Claims the unclaimed addresses already on machines of the pool's clusters (associated before claims existed): they
     * stay where they are. One Event per pass, not per address.
     *
     * @return how many this pool now claims
     */
    private int adopt(ElasticIpPool pool, AwsScope scope, AllocationPlan plan, PoolClaim claim) {
        List<String> claimed = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        for (String id : plan.adopt()) {
            try {
                (gateway.claim(scope, id, claim.value()) ? claimed : lost).add(id);
            } catch (CloudFailure e) {
                events.warning(pool, errors.reason(e), "CreateTags", "Could not claim " + id + " (the next pass tries again): "
                        + errors.describe(e));
            }
        }
        if (!claimed.isEmpty()) {
            events.normal(pool, Reason.AddressClaimed, "CreateTags", "Claimed " + claimed.size() + " address(es) already on machines of"
                    + " this pool's clusters (" + io.autoheal.fleet.Tags.CLAIMED_BY + "=" + claim.value() + "), left where they are: "
                    + shortList(claimed));
        }
        if (!lost.isEmpty()) {
            events.warning(pool, Reason.AddressClaimLost, "CreateTags", "Another pool claimed first " + shortList(lost)
                    + ": foreign to this pool, left where they are");
        }
        return claimed.size();
    }

    static String shortList(List<String> ids) {
        return String.join(", ", ids.subList(0, Math.min(10, ids.size()))) + (ids.size() > 10 ? " and " + (ids.size() - 10) + " more" : "");
    }

    /** Best effort inside an already failed action: a failure here must not cut the rest of the plan short. */
    private void forgetAssignment(ElasticIpPool pool, AwsScope scope, AllocationPlan.Associate a) {
        try {
            gateway.forgetAssignment(scope, a.allocationId(), a.instanceId());
        } catch (CloudFailure e) {
            events.warning(pool, Reason.AwsError, "DeleteTags", "Could not clear the assignment tags of " + a.allocationId()
                    + " (the next pass re-plans from AWS anyway): " + errors.describe(e));
        }
    }
}
