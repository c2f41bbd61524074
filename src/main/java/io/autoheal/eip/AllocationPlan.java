package io.autoheal.eip;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What {@link AddressAllocator} decided for one pool, and the pool as it will be once AWS has done it.
 *
 * @param associate    AssociateAddress calls (AllowReassociation=false), each on an address that is free now
 * @param disassociate DisassociateAddress calls; these addresses are reused by a later pass, not by this plan
 * @param addresses    every address of the pool after the plan, by allocation id
 * @param unserved     per cluster (sorted), the instances that need an address and get none, longest waiting first
 * @param awaitingRelease per cluster (sorted), waiting instances that get no address now because this plan frees one of
 *                     their cluster's addresses from a dying machine (the predecessor's): they take it on the next
 *                     pass, rather than some other free address now; not unserved, so not exhaustion
 * @param adopt        unclaimed addresses on machines of the pool's clusters that this pool claims (CreateTags), keeping
 *                     them where they are; by allocation id
 * @param claimFirst   addresses of {@code associate} nobody has claimed yet: each is claimed and read back first, and
 *                     given only if the claim reads back as this pool's (the first claimant wins); by allocation id
 * @param foreignHolders per FOREIGN address (by allocation id), who or what holds it ({@link AddressOwnership})
 */
public record AllocationPlan(List<Associate> associate, List<Disassociate> disassociate, List<AddressView> addresses,
                             Map<String, List<String>> unserved, Map<String, List<String>> awaitingRelease,
                             List<String> adopt, List<String> claimFirst, Map<String, String> foreignHolders) {

    public enum AddressState { FREE, ASSIGNED, FOREIGN, RELEASING }

    /** Why an address goes to an instance. */
    public enum AssignReason {
        /**
         * The address of a machine of the cluster that is shutting down or terminated and still observed (AWS lists
         * terminated instances for about an hour): the replacement takes its predecessor's public IP.
         */
        PREDECESSOR_ADDRESS,
        /** The cluster held this address before, for a machine no longer observed. */
        CLUSTERS_FORMER_ADDRESS,
        /** The address was never tagged by us. */
        UNUSED_ADDRESS,
        /** The address last served another cluster (or one that is gone). */
        OTHER_CLUSTERS_ADDRESS
    }

    /** Why an address is taken off an instance. */
    public enum FreeReason {
        /** The instance is shutting down or terminated. */
        INSTANCE_TERMINATING,
        /** A second address we put on one instance (two deciders raced); the lowest allocation id stays. */
        DUPLICATE_ON_INSTANCE
    }

    public record Associate(String allocationId, String instanceId, String cluster, AssignReason reason) {
    }

    public record Disassociate(String allocationId, String associationId, String instanceId, FreeReason reason) {
    }

    /**
     * One address as the pool's status shows it after the plan. {@code cluster} is the holder's cluster; for a
     * FREE address the cluster that last held it (null if none); null for FOREIGN.
     */
    public record AddressView(String allocationId, String publicIp, AddressState state, String cluster, String instanceId) {
    }

    /** The pool's numbers after the plan; {@code waiting} counts unserved instances. */
    public record Counts(int total, int free, int assigned, int foreign, int releasing, int waiting) {
    }

    public AllocationPlan {
        associate = List.copyOf(associate);
        disassociate = List.copyOf(disassociate);
        addresses = List.copyOf(addresses);
        unserved = sortedCopy(unserved);
        awaitingRelease = sortedCopy(awaitingRelease);
        adopt = adopt.stream().sorted().toList();
        claimFirst = claimFirst.stream().sorted().toList();
        foreignHolders = Collections.unmodifiableMap(new TreeMap<>(foreignHolders));
    }

    /** A plan with no claims to write and no foreign address (tables about placement). */
    public AllocationPlan(List<Associate> associate, List<Disassociate> disassociate, List<AddressView> addresses,
                          Map<String, List<String>> unserved, Map<String, List<String>> awaitingRelease) {
        this(associate, disassociate, addresses, unserved, awaitingRelease, List.of(), List.of(), Map.of());
    }

    private static Map<String, List<String>> sortedCopy(Map<String, List<String>> byCluster) {
        return Collections.unmodifiableMap(byCluster.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> List.copyOf(e.getValue()), (a, b) -> a, TreeMap::new)));
    }

    public boolean isEmpty() {
        return associate.isEmpty() && disassociate.isEmpty();
    }

    public Counts counts() {
        return new Counts(addresses.size(), count(AddressState.FREE), count(AddressState.ASSIGNED),
                count(AddressState.FOREIGN), count(AddressState.RELEASING), waiting());
    }

    public int count(AddressState state) {
        return (int) addresses.stream().filter(a -> a.state() == state).count();
    }

    public int foreign() {
        return count(AddressState.FOREIGN);
    }

    public int waiting() {
        return unserved.values().stream().mapToInt(List::size).sum();
    }

    /** Number of unserved instances per cluster (clusters with none are absent). */
    public Map<String, Integer> unservedByCluster() {
        return unserved.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size(),
                (a, b) -> a, TreeMap::new));
    }

    /** Instances wait for an address and none is left: the moment to tell the infra team. */
    public boolean exhausted() {
        return waiting() > 0;
    }
}
