package io.autoheal.eip;

import io.autoheal.eip.AllocationPlan.AddressState;
import io.autoheal.eip.AllocationPlan.AddressView;
import io.autoheal.eip.AllocationPlan.Disassociate;
import io.autoheal.eip.AllocationPlan.FreeReason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pool's current associations sorted into kept, to be freed, foreign and free (rules 1–3): the part of the
 * plan that does not depend on who is waiting.
 *
 * @param views                the associated addresses as the status shows them after the plan (no FREE ones)
 * @param disassociate         addresses to take off their instance, by allocation id
 * @param free                 unassociated addresses, by allocation id: the only ones this plan may give out
 * @param heldByCluster        addresses each cluster keeps (a kept duplicate counts twice: it is an address)
 * @param instancesWithAddress instances that keep at least one pool address
 * @param incomingByCluster    per cluster, addresses this plan frees from its dying machines that our tags give back to
 *                             it: on the next pass they are its predecessors' addresses, for its replacements
 */
record PoolHoldings(List<AddressView> views, List<Disassociate> disassociate, List<PoolAddress> free,
                    Map<String, Integer> heldByCluster, Set<String> instancesWithAddress, Map<String, Integer> incomingByCluster) {

    /**
     * @param addresses  distinct allocation ids
     * @param candidates by instance id
     */
    static PoolHoldings of(List<PoolAddress> addresses, Map<String, CandidateInstance> candidates) {
        List<AddressView> views = new ArrayList<>();
        List<Disassociate> disassociate = new ArrayList<>();
        List<PoolAddress> free = new ArrayList<>();
        Map<String, Integer> held = new TreeMap<>();
        Set<String> withAddress = new HashSet<>();
        Map<String, Integer> incoming = new TreeMap<>();
        // Sorted, so that of two addresses on one instance the lowest allocation id is the one that stays.
        for (PoolAddress a : addresses.stream().sorted(Comparator.comparing(PoolAddress::allocationId)).toList()) {
            CandidateInstance holder = a.associatedWithNonInstance() || a.associatedInstanceId() == null || !a.undoable()
                    ? null : candidates.get(a.associatedInstanceId());
            if (!a.associated()) {
                free.add(a);
            } else if (holder != null && holder.state().alive()) {
                if (withAddress.contains(holder.instanceId()) && a.taggedForItsInstance()) {
                    disassociate.add(release(a, FreeReason.DUPLICATE_ON_INSTANCE));
                    views.add(view(a, AddressState.RELEASING, holder.cluster()));
                } else {
                    withAddress.add(holder.instanceId());
                    held.merge(holder.cluster(), 1, Integer::sum);
                    views.add(view(a, AddressState.ASSIGNED, holder.cluster()));
                }
            } else if (holder != null) {
                disassociate.add(release(a, FreeReason.INSTANCE_TERMINATING));
                if (holder.cluster().equals(a.lastCluster())) {
                    incoming.merge(holder.cluster(), 1, Integer::sum);
                }
                views.add(view(a, AddressState.RELEASING, holder.cluster()));
            } else if (a.undoable() && !a.associatedWithNonInstance() && a.taggedForItsInstance()) {
                disassociate.add(release(a, FreeReason.INSTANCE_LEFT_CLUSTER));
                views.add(view(a, AddressState.RELEASING, a.lastCluster()));
            } else {
                // Someone else's use (a NAT gateway, an ENI, an instance we never tagged): reported, never touched.
                views.add(view(a, AddressState.FOREIGN, null));
            }
        }
        return new PoolHoldings(views, disassociate, free, held, withAddress, incoming);
    }

    private static Disassociate release(PoolAddress a, FreeReason reason) {
        return new Disassociate(a.allocationId(), a.associationId(), a.associatedInstanceId(), reason);
    }

    private static AddressView view(PoolAddress a, AddressState state, String cluster) {
        return new AddressView(a.allocationId(), a.publicIp(), state, cluster, a.associatedInstanceId());
    }
}
