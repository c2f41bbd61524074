package io.autoheal.eip;

import io.autoheal.eip.AddressOwnership.Claim;
import io.autoheal.eip.AddressOwnership.Decision;
import io.autoheal.eip.AddressOwnership.Holder;
import io.autoheal.eip.AllocationPlan.AddressState;
import io.autoheal.eip.AllocationPlan.AddressView;
import io.autoheal.eip.AllocationPlan.Disassociate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pool's current addresses sorted, by {@link AddressOwnership}, into kept, to be freed, foreign and free: the part
 * of the plan that does not depend on who is waiting.
 *
 * @param views                the associated addresses as the status shows them after the plan (no FREE ones)
 * @param disassociate         addresses to take off their instance, by allocation id
 * @param free                 unassociated addresses this pool may give (its own or unclaimed), by allocation id
 * @param heldByCluster        addresses each cluster keeps (a kept duplicate counts twice: it is an address)
 * @param instancesWithAddress instances that keep at least one address (a foreign one included): none gets another
 * @param incomingByCluster    per cluster, addresses this plan frees from its dying machines that our tags give back to
 *                             it: on the next pass they are its predecessors' addresses, for its replacements
 * @param adopt                unclaimed addresses on machines of the pool's clusters: claimed by this plan, kept
 * @param unclaimedFree        free addresses nobody claimed: claimed (and read back) before one is given
 * @param foreignHolders       per foreign address, who or what holds it (for the condition and Event)
 */
record PoolHoldings(List<AddressView> views, List<Disassociate> disassociate, List<PoolAddress> free,
                    Map<String, Integer> heldByCluster, Set<String> instancesWithAddress, Map<String, Integer> incomingByCluster,
                    List<String> adopt, Set<String> unclaimedFree, Map<String, String> foreignHolders) {

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
        List<String> adopt = new ArrayList<>();
        Set<String> unclaimedFree = new HashSet<>();
        Map<String, String> foreign = new TreeMap<>();
        // Sorted, so that of two addresses on one instance the lowest allocation id is the one that stays.
        for (PoolAddress a : addresses.stream().sorted(Comparator.comparing(PoolAddress::allocationId)).toList()) {
            CandidateInstance machine = a.associatedWithNonInstance() || a.associatedInstanceId() == null || !a.undoable()
                    ? null : candidates.get(a.associatedInstanceId());
            Holder holder = holder(a, machine);
            boolean second = machine != null && withAddress.contains(machine.instanceId());
            Decision decision = AddressOwnership.decide(a.claim(), holder, second, a.taggedForItsInstance());
            switch (decision) {
                case GIVE -> free.add(a);
                case CLAIM_AND_GIVE -> {
                    free.add(a);
                    unclaimedFree.add(a.allocationId());
                }
                case KEEP, ADOPT -> {
                    if (decision == Decision.ADOPT) {
                        adopt.add(a.allocationId());
                    }
                    withAddress.add(machine.instanceId());
                    if (holder == Holder.DYING_MACHINE) { // adopted from a dying machine: the next pass frees it
                        views.add(view(a, AddressState.RELEASING, machine.cluster()));
                    } else {
                        held.merge(machine.cluster(), 1, Integer::sum);
                        views.add(view(a, AddressState.ASSIGNED, machine.cluster()));
                    }
                }
                case FREE_FROM_DYING_MACHINE -> {
                    disassociate.add(release(a, decision));
                    if (machine.cluster().equals(a.lastCluster())) {
                        incoming.merge(machine.cluster(), 1, Integer::sum);
                    }
                    views.add(view(a, AddressState.RELEASING, machine.cluster()));
                }
                case FREE_SECOND_ON_MACHINE -> {
                    disassociate.add(release(a, decision));
                    views.add(view(a, AddressState.RELEASING, machine.cluster()));
                }
                case FOREIGN -> {
                    if (machine != null && AddressOwnership.machineHoldsIt(holder)) {
                        withAddress.add(machine.instanceId()); // it keeps that address and gets none of ours
                    }
                    foreign.put(a.allocationId(), foreignHolder(a, holder, machine));
                    views.add(view(a, AddressState.FOREIGN, null));
                }
            }
        }
        return new PoolHoldings(views, disassociate, free, held, withAddress, incoming, adopt, unclaimedFree, foreign);
    }

    private static Holder holder(PoolAddress a, CandidateInstance machine) {
        if (!a.associated()) {
            return Holder.NOTHING;
        }
        if (a.associatedWithNonInstance() || a.associatedInstanceId() == null || !a.undoable()) {
            return Holder.NOT_AN_INSTANCE;
        }
        if (machine == null) {
            return Holder.UNPLACED_INSTANCE;
        }
        if (!machine.state().alive()) {
            return Holder.DYING_MACHINE;
        }
        return machine.clusterDeleting() ? Holder.DELETING_CLUSTERS_MACHINE : Holder.SERVED_MACHINE;
    }

    /** Who holds a foreign address, in a few words: the claimant if someone else claimed it, else where it is. */
    private static String foreignHolder(PoolAddress a, Holder holder, CandidateInstance machine) {
        String where = switch (holder) {
            case NOTHING -> "free";
            case NOT_AN_INSTANCE -> "in use by something that is not an instance (a NAT gateway or network interface)";
            case UNPLACED_INSTANCE -> "on " + a.associatedInstanceId() + ", not a machine of this pool's clusters"
                    + (a.lastCluster() == null ? "" : " (last assigned to cluster " + a.lastCluster() + ")");
            default -> "on " + a.associatedInstanceId() + " of cluster " + machine.cluster();
        };
        boolean claimed = a.claim() != Claim.NONE && a.claim() != Claim.THIS_POOL && a.claimant() != null;
        return claimed ? "claimed by " + a.claimant() + ", " + where : where;
    }

    private static Disassociate release(PoolAddress a, Decision decision) {
        return new Disassociate(a.allocationId(), a.associationId(), a.associatedInstanceId(), decision.freeReason());
    }

    private static AddressView view(PoolAddress a, AddressState state, String cluster) {
        return new AddressView(a.allocationId(), a.publicIp(), state, cluster, a.associatedInstanceId());
    }
}
