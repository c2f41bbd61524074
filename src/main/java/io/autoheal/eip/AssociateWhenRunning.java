package io.autoheal.eip;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Pure: which of a plan's associations are made now. AWS refuses AssociateAddress on a pending instance
 * ({@code InvalidInstanceID: The pending instance … is not in a valid state}): every new machine cost one refused call
 * and one Warning Event per pass until it ran (the scale harness showed one per heal, on every pool). The allocator
 * still gives a pending machine its address — it is reserved for it, shown as assigned, counted for fairness — but the
 * call waits until the machine runs; the pool looks again {@link PoolRequeue#SOON}.
 *
 * @param plan     the plan to execute: associations to running machines only (and their claims)
 * @param deferred associations kept for machines still pending
 */
public record AssociateWhenRunning(AllocationPlan plan, List<AllocationPlan.Associate> deferred) {

    public static AssociateWhenRunning of(AllocationPlan planned, List<CandidateInstance> candidates) {
        Map<String, InstanceState> state = candidates.stream()
                .collect(Collectors.toMap(CandidateInstance::instanceId, CandidateInstance::state, (a, b) -> a));
        Map<Boolean, List<AllocationPlan.Associate>> byPending = planned.associate().stream()
                .collect(Collectors.partitioningBy(a -> state.get(a.instanceId()) == InstanceState.PENDING));
        List<AllocationPlan.Associate> now = byPending.get(false);
        if (byPending.get(true).isEmpty()) {
            return new AssociateWhenRunning(planned, List.of());
        }
        Set<String> givenNow = now.stream().map(AllocationPlan.Associate::allocationId).collect(Collectors.toSet());
        AllocationPlan plan = new AllocationPlan(now, planned.disassociate(), planned.addresses(), planned.unserved(),
                planned.awaitingRelease(), planned.adopt(), planned.claimFirst().stream().filter(givenNow::contains).toList(),
                planned.foreignHolders());
        return new AssociateWhenRunning(plan, byPending.get(true));
    }

    /** Instance ids waiting to run for their address. */
    public Set<String> waitingToRun() {
        return deferred.stream().map(AllocationPlan.Associate::instanceId).collect(Collectors.toSet());
    }
}
