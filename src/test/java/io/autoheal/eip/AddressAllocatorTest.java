package io.autoheal.eip;

import static io.autoheal.eip.AllocatorWorld.free;
import static io.autoheal.eip.AllocatorWorld.on;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.eip.AddressAllocator.Candidate;
import io.autoheal.eip.AddressAllocator.InstanceState;
import io.autoheal.eip.AllocationPlan.AddressState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressAllocatorTest {
    static final Instant T0 = Instant.parse("2026-11-25T03:00:00Z");

    static Candidate running(String id, String cluster, int minute) {
        return new Candidate(id, cluster, InstanceState.RUNNING, T0.plusSeconds(60L * minute));
    }

    static Candidate in(String id, String cluster, InstanceState state) {
        return new Candidate(id, cluster, state, T0);
    }

    @Test
    void emptyPoolAndNoInstancesNeedNothing() {
        AllocationPlan plan = AddressAllocator.plan(List.of(), List.of());
        assertThat(plan.associate()).isEmpty();
        assertThat(plan.disassociate()).isEmpty();
        assertThat(plan.exhausted()).isFalse();
    }

    @Test
    void assignedAliveInstanceKeepsItsAddress() {
        AllocationPlan plan = AddressAllocator.plan(List.of(on("eipalloc-1", "i-1", "ns/a", "i-1")),
                List.of(running("i-1", "ns/a", 0), in("i-2", "ns/a", InstanceState.STOPPED)));
        assertThat(plan.associate()).isEmpty();
        assertThat(plan.disassociate()).isEmpty();
        assertThat(plan.count(AddressState.ASSIGNED)).isEqualTo(1);
    }

    @Test
    void stoppedInstanceKeepsItsAddressButGetsNoNewOne() {
        AllocationPlan plan = AddressAllocator.plan(List.of(on("eipalloc-1", "i-1", "ns/a", "i-1"), free("eipalloc-2", null)),
                List.of(in("i-1", "ns/a", InstanceState.STOPPED), in("i-2", "ns/a", InstanceState.STOPPED)));
        assertThat(plan.associate()).isEmpty();
        assertThat(plan.disassociate()).isEmpty();
    }

    @Test
    void terminatingInstanceReleasesItsAddressWhichIsNotReusedInTheSamePlan() {
        AllocationPlan plan = AddressAllocator.plan(List.of(on("eipalloc-1", "i-old", "ns/a", "i-old")),
                List.of(in("i-old", "ns/a", InstanceState.SHUTTING_DOWN), running("i-new", "ns/a", 5)));
        assertThat(plan.disassociate()).singleElement().satisfies(d -> {
            assertThat(d.instanceId()).isEqualTo("i-old");
            assertThat(d.reason()).isEqualTo(AllocationPlan.FreeReason.INSTANCE_TERMINATING);
        });
        assertThat(plan.associate()).isEmpty();
        assertThat(plan.unservedByCluster()).containsEntry("ns/a", 1);
    }

    @Test
    void replacementGetsItsPredecessorsAddressOverANeverUsedOne() {
        AllocationPlan plan = AddressAllocator.plan(List.of(free("eipalloc-0", null), free("eipalloc-9", "ns/a")),
                List.of(running("i-new", "ns/a", 5)));
        assertThat(plan.associate()).singleElement().satisfies(a -> {
            assertThat(a.allocationId()).isEqualTo("eipalloc-9");
            assertThat(a.reason()).isEqualTo(AllocationPlan.AssignReason.PREDECESSOR_ADDRESS);
        });
    }

    @Test
    void anotherClustersFormerAddressIsTheLastChoice() {
        AllocationPlan plan = AddressAllocator.plan(List.of(free("eipalloc-0", "ns/b"), free("eipalloc-9", null)),
                List.of(running("i-new", "ns/a", 5)));
        assertThat(plan.associate()).singleElement().extracting(AllocationPlan.Associate::allocationId).isEqualTo("eipalloc-9");
    }

    @Test
    void foreignAssociationsAreNeverTouched() {
        AllocationPlan plan = AddressAllocator.plan(List.of(
                        on("eipalloc-nat", null, null, null),
                        on("eipalloc-other", "i-stranger", null, null),
                        on("eipalloc-stale", "i-stranger2", "ns/a", "i-someone-else")),
                List.of(running("i-1", "ns/a", 0)));
        assertThat(plan.associate()).isEmpty();
        assertThat(plan.disassociate()).isEmpty();
        assertThat(plan.foreign()).isEqualTo(3);
        assertThat(plan.exhausted()).isTrue();
    }

    @Test
    void addressWeGaveToAnInstanceThatLeftTheClusterIsFreed() {
        AllocationPlan plan = AddressAllocator.plan(List.of(on("eipalloc-1", "i-detached", "ns/a", "i-detached")), List.of());
        assertThat(plan.disassociate()).singleElement().extracting(AllocationPlan.Disassociate::reason)
                .isEqualTo(AllocationPlan.FreeReason.INSTANCE_LEFT_CLUSTER);
    }

    @Test
    void secondAddressWePutOnOneMachineInARaceIsFreedAndTheFirstKept() {
        AllocationPlan plan = AddressAllocator.plan(List.of(on("eipalloc-1", "i-1", "ns/a", "i-1"), on("eipalloc-2", "i-1", "ns/a", "i-1")),
                List.of(running("i-1", "ns/a", 0)));
        assertThat(plan.disassociate()).singleElement().satisfies(d -> {
            assertThat(d.allocationId()).isEqualTo("eipalloc-2");
            assertThat(d.reason()).isEqualTo(AllocationPlan.FreeReason.DUPLICATE_ON_INSTANCE);
        });
    }

    @Test
    void secondAddressSomeoneElsePutOnOneMachineIsLeftAlone() {
        AllocationPlan plan = AddressAllocator.plan(List.of(on("eipalloc-1", "i-1", "ns/a", "i-1"), on("eipalloc-2", "i-1", null, null)),
                List.of(running("i-1", "ns/a", 0)));
        assertThat(plan.disassociate()).isEmpty();
    }

    @Test
    void pendingInstancesWaitUntilRunning() {
        AllocationPlan plan = AddressAllocator.plan(List.of(free("eipalloc-1", null)), List.of(in("i-1", "ns/a", InstanceState.PENDING)));
        assertThat(plan.associate()).isEmpty();
        assertThat(plan.exhausted()).isFalse();
    }

    @Test
    void scarceAddressesAreSharedFairlyAndTheRestReported() {
        // Two clusters of 3 on a pool of 5: 3 + 2, the waiting one reported.
        List<AddressAllocator.PoolAddress> pool = List.of(free("eipalloc-1", null), free("eipalloc-2", null), free("eipalloc-3", null),
                free("eipalloc-4", null), free("eipalloc-5", null));
        List<Candidate> instances = List.of(running("i-a1", "ns/a", 0), running("i-a2", "ns/a", 1), running("i-a3", "ns/a", 2),
                running("i-b1", "ns/b", 0), running("i-b2", "ns/b", 1), running("i-b3", "ns/b", 2));
        AllocationPlan plan = AddressAllocator.plan(pool, instances);
        assertThat(plan.associate()).hasSize(5);
        assertThat(plan.associate().stream().filter(a -> a.cluster().equals("ns/a"))).hasSize(3);
        assertThat(plan.associate().stream().filter(a -> a.cluster().equals("ns/b"))).hasSize(2);
        assertThat(plan.unservedByCluster()).containsExactly(java.util.Map.entry("ns/b", 1));
        assertThat(plan.associate()).noneMatch(a -> a.instanceId().equals("i-b3"));
        assertThat(plan.exhausted()).isTrue();
    }

    @Test
    void clusterHoldingFewerAddressesIsServedFirst() {
        AllocationPlan plan = AddressAllocator.plan(List.of(on("eipalloc-1", "i-a1", "ns/a", "i-a1"), free("eipalloc-2", null)),
                List.of(running("i-a1", "ns/a", 0), running("i-a2", "ns/a", 1), running("i-b1", "ns/b", 9)));
        assertThat(plan.associate()).singleElement().extracting(AllocationPlan.Associate::instanceId).isEqualTo("i-b1");
    }

    @Test
    void oldestWaitingInstanceOfAClusterIsServedFirst() {
        AllocationPlan plan = AddressAllocator.plan(List.of(free("eipalloc-1", null)),
                List.of(running("i-young", "ns/a", 9), running("i-old", "ns/a", 1)));
        assertThat(plan.associate()).singleElement().extracting(AllocationPlan.Associate::instanceId).isEqualTo("i-old");
    }
}
