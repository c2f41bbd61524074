package io.autoheal.eip;

import java.util.List;
import java.util.Map;

/** What {@link AddressAllocator} decided for one pool, and the pool's state once it is done. */
public record AllocationPlan(
        List<Associate> associate,
        List<Disassociate> disassociate,
        List<AddressView> addresses,
        Map<String, Integer> unservedByCluster,
        int foreign) {

    public enum AddressState { FREE, ASSIGNED, FOREIGN, RELEASING }

    public enum AssignReason { PREDECESSOR_ADDRESS, FREE_ADDRESS }

    public enum FreeReason { INSTANCE_TERMINATING, INSTANCE_LEFT_CLUSTER, DUPLICATE_ON_INSTANCE }

    public record Associate(String allocationId, String instanceId, String cluster, AssignReason reason) {
    }

    public record Disassociate(String allocationId, String associationId, String instanceId, FreeReason reason) {
    }

    /** One address as the pool's status shows it after the plan. */
    public record AddressView(String allocationId, String publicIp, AddressState state, String cluster, String instanceId) {
    }

    public int count(AddressState state) {
        return (int) addresses.stream().filter(a -> a.state() == state).count();
    }

    public int waiting() {
        return unservedByCluster.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Machines wait for an address and none is free: the seed's "raise and tell the infra team" moment. */
    public boolean exhausted() {
        return waiting() > 0;
    }
}
