package io.autoheal.eip;

import static io.autoheal.eip.AllocatorWorld.free;
import static io.autoheal.eip.AllocatorWorld.freeAfter;
import static io.autoheal.eip.AllocatorWorld.in;
import static io.autoheal.eip.AllocatorWorld.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.eip.AllocationPlan.AddressState;
import io.autoheal.eip.AllocationPlan.Associate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pending machine's address is reserved by the plan and associated once it runs (AWS refuses it before). */
class AssociateWhenRunningTest {

    @Test
    void aPendingMachinesAddressIsReservedButNotAssociatedYet() {
        List<CandidateInstance> candidates = List.of(running("i-run", "ns/a", 1), in("i-pending", "ns/a", InstanceState.PENDING, 5));
        AllocationPlan planned = AddressAllocator.plan(List.of(free("eipalloc-1", null), free("eipalloc-2", null)), candidates);
        AssociateWhenRunning when = AssociateWhenRunning.of(planned, candidates);

        assertThat(when.plan().associate()).extracting(Associate::instanceId).containsExactly("i-run");
        assertThat(when.waitingToRun()).containsExactly("i-pending");
        // reserved: the pool's status shows both addresses assigned, so no other machine takes the pending one's
        assertThat(when.plan().addresses()).extracting(AllocationPlan.AddressView::state).containsOnly(AddressState.ASSIGNED);
        assertThat(when.plan().claimFirst()).allMatch(id -> when.plan().associate().stream().anyMatch(a -> a.allocationId().equals(id)));
    }

    @Test
    void theReplacementStillGetsItsPredecessorsAddressOnceRunning() {
        var address = freeAfter("eipalloc-7", "ns/a", "i-dead");
        List<PoolAddress> addresses = List.of(free("eipalloc-1", null), address);
        List<CandidateInstance> pending = List.of(in("i-new", "ns/a", InstanceState.PENDING, 5));
        assertThat(AssociateWhenRunning.of(AddressAllocator.plan(addresses, pending), pending).plan().associate()).isEmpty();

        List<CandidateInstance> runningNow = List.of(running("i-new", "ns/a", 5));
        AssociateWhenRunning when = AssociateWhenRunning.of(AddressAllocator.plan(addresses, runningNow), runningNow);
        assertThat(when.plan().associate()).extracting(Associate::allocationId).containsExactly("eipalloc-7");
        assertThat(when.deferred()).isEmpty();
    }

    @Test
    void withNothingPendingThePlanIsUnchanged() {
        List<CandidateInstance> candidates = List.of(running("i-run", "ns/a", 1));
        AllocationPlan planned = AddressAllocator.plan(List.of(free("eipalloc-1", null)), candidates);
        assertThat(AssociateWhenRunning.of(planned, candidates).plan()).isSameAs(planned);
    }

    @Test
    void thePoolLooksAgainSoonWhileAnAddressWaitsForAMachineToRun() {
        var nothingDone = new PoolActuator.Result(0, 0, List.of());
        assertThat(PoolRequeue.after(0, nothingDone, Duration.ofSeconds(30), false, true)).isEqualTo(PoolRequeue.SOON);
        assertThat(PoolRequeue.after(0, nothingDone, Duration.ofSeconds(30), false, false)).isEqualTo(Duration.ofSeconds(30));
        assertThat(PoolRequeue.after(1, new PoolActuator.Result(1, 0, List.of()), Duration.ofSeconds(30), true, true))
                .isEqualTo(PoolRequeue.RIGHT_AFTER);
    }
}
