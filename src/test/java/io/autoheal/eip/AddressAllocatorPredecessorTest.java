package io.autoheal.eip;

import static io.autoheal.eip.AddressAllocatorTest.given;
import static io.autoheal.eip.AddressAllocatorTest.plan;
import static io.autoheal.eip.AddressAllocatorTest.view;
import static io.autoheal.eip.AllocatorWorld.free;
import static io.autoheal.eip.AllocatorWorld.freeAfter;
import static io.autoheal.eip.AllocatorWorld.in;
import static io.autoheal.eip.AllocatorWorld.inZone;
import static io.autoheal.eip.AllocatorWorld.on;
import static io.autoheal.eip.AllocatorWorld.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.eip.AllocationPlan.AddressState;
import io.autoheal.eip.AllocationPlan.AssignReason;
import io.autoheal.eip.AllocationPlan.Associate;
import io.autoheal.eip.AllocationPlan.Disassociate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Which free address a waiting instance gets ({@link AddressMatcher}) and the one-pass wait for a dying machine's
 * address ({@link AddressAllocator}): a replacement gets the address of the machine it replaces.
 */
class AddressAllocatorPredecessorTest {

    @Nested
    class Rule4Predecessor {
        @Test
        void withoutAnObservedPredecessorTheClustersFormerAddressesComeFirstTheLowestFirst() {
            AllocationPlan plan = plan(List.of(free("eipalloc-0", null), free("eipalloc-8", "ns/a"), free("eipalloc-9", "ns/a")),
                    running("i-new", "ns/a", 5));
            assertThat(plan.associate()).containsExactly(new Associate("eipalloc-8", "i-new", "ns/a", AssignReason.CLUSTERS_FORMER_ADDRESS));
        }

        @ParameterizedTest
        @EnumSource(value = InstanceState.class, names = {"SHUTTING_DOWN", "TERMINATED"})
        void theReplacementGetsTheAddressOfTheMachineItReplacesNotALowerFormerOne(InstanceState predecessor) {
            // The end-to-end case: a decoy former address of the cluster (its machine long gone) sorts lower.
            AllocationPlan plan = plan(List.of(free("eipalloc-0", null), freeAfter("eipalloc-1", "ns/a", "i-long-gone"),
                            on("eipalloc-3", "i-keep", "ns/a", "i-keep"), freeAfter("eipalloc-7", "ns/a", "i-victim")),
                    in("i-victim", "ns/a", predecessor, 0), running("i-keep", "ns/a", 0), running("i-new", "ns/a", 9));
            assertThat(plan.associate()).containsExactly(new Associate("eipalloc-7", "i-new", "ns/a", AssignReason.PREDECESSOR_ADDRESS));
        }

        @ParameterizedTest
        @EnumSource(value = InstanceState.class, names = {"STOPPING", "STOPPED"})
        void anAddressWhoseLastMachineIsAliveIsNoPredecessorsAddress(InstanceState state) {
            AllocationPlan plan = plan(List.of(freeAfter("eipalloc-1", "ns/a", "i-gone"), freeAfter("eipalloc-7", "ns/a", "i-alive")),
                    in("i-alive", "ns/a", state, 0), running("i-new", "ns/a", 9));
            assertThat(plan.associate()).containsExactly(new Associate("eipalloc-1", "i-new", "ns/a", AssignReason.CLUSTERS_FORMER_ADDRESS));
        }

        @ParameterizedTest
        @EnumSource(value = InstanceState.class, names = {"PENDING", "RUNNING"})
        void aWaitingMachineGetsBackTheAddressOurTagsSayItHadBeforeAnyPredecessor(InstanceState state) {
            // e.g. someone's Elastic IP replaced it for a while, or a person disassociated it.
            AllocationPlan plan = plan(List.of(freeAfter("eipalloc-1", "ns/a", "i-dead"), freeAfter("eipalloc-7", "ns/a", "i-alive")),
                    in("i-dead", "ns/a", InstanceState.TERMINATED, 0), in("i-alive", "ns/a", state, 0), running("i-new", "ns/a", 9));
            assertThat(plan.associate()).containsExactly(
                    new Associate("eipalloc-1", "i-new", "ns/a", AssignReason.PREDECESSOR_ADDRESS),
                    new Associate("eipalloc-7", "i-alive", "ns/a", AssignReason.CLUSTERS_FORMER_ADDRESS));
        }

        @Test
        void aDeadMachineOfAnotherClusterMakesNoPredecessorEvenUnderOurClusterTag() {
            AllocationPlan plan = plan(List.of(freeAfter("eipalloc-1", "ns/a", "i-gone"), freeAfter("eipalloc-7", "ns/a", "i-b-dead")),
                    in("i-b-dead", "ns/b", InstanceState.TERMINATED, 0), running("i-new", "ns/a", 9));
            assertThat(plan.associate()).containsExactly(new Associate("eipalloc-1", "i-new", "ns/a", AssignReason.CLUSTERS_FORMER_ADDRESS));
        }

        @Test
        void replacementsArePairedWithThePredecessorsOfTheirOwnZoneFirst() {
            AllocationPlan plan = plan(List.of(freeAfter("eipalloc-1", "ns/a", "i-dead-a"), freeAfter("eipalloc-2", "ns/a", "i-dead-b")),
                    inZone("i-dead-a", "ns/a", InstanceState.TERMINATED, 0, "zone-a"),
                    inZone("i-dead-b", "ns/a", InstanceState.TERMINATED, 0, "zone-b"),
                    inZone("i-new-b", "ns/a", InstanceState.RUNNING, 5, "zone-b"),
                    inZone("i-new-a", "ns/a", InstanceState.RUNNING, 6, "zone-a"));
            assertThat(plan.associate()).containsExactly(
                    new Associate("eipalloc-1", "i-new-a", "ns/a", AssignReason.PREDECESSOR_ADDRESS),
                    new Associate("eipalloc-2", "i-new-b", "ns/a", AssignReason.PREDECESSOR_ADDRESS));
        }

        @Test
        void aReplacementInAZoneWithoutPredecessorStillTakesAPredecessorsAddressBeforeAFormerOne() {
            AllocationPlan plan = plan(List.of(freeAfter("eipalloc-1", "ns/a", "i-gone"), freeAfter("eipalloc-5", "ns/a", "i-dead")),
                    inZone("i-dead", "ns/a", InstanceState.TERMINATED, 0, "zone-a"),
                    inZone("i-new", "ns/a", InstanceState.RUNNING, 5, "zone-c"));
            assertThat(plan.associate()).containsExactly(new Associate("eipalloc-5", "i-new", "ns/a", AssignReason.PREDECESSOR_ADDRESS));
        }

        @Test
        void withUnknownZonesTheLongestWaitingReplacementTakesTheLowestPredecessorsAddress() {
            AllocationPlan plan = plan(List.of(freeAfter("eipalloc-1", "ns/a", "i-dead-1"), freeAfter("eipalloc-2", "ns/a", "i-dead-2")),
                    in("i-dead-1", "ns/a", InstanceState.TERMINATED, 0), in("i-dead-2", "ns/a", InstanceState.TERMINATED, 0),
                    running("i-young", "ns/a", 7), running("i-old", "ns/a", 6));
            assertThat(given(plan)).containsExactly(Map.entry("eipalloc-1", "i-old"), Map.entry("eipalloc-2", "i-young"));
        }

        @Test
        void theMachinesBeingReplacedOutnumberTheReplacements() {
            AllocationPlan plan = plan(List.of(freeAfter("eipalloc-1", "ns/a", "i-dead-a"), freeAfter("eipalloc-2", "ns/a", "i-dead-b")),
                    inZone("i-dead-a", "ns/a", InstanceState.TERMINATED, 0, "zone-a"),
                    inZone("i-dead-b", "ns/a", InstanceState.TERMINATED, 0, "zone-b"),
                    inZone("i-new-b", "ns/a", InstanceState.PENDING, 5, "zone-b"));
            assertThat(plan.associate()).containsExactly(new Associate("eipalloc-2", "i-new-b", "ns/a", AssignReason.PREDECESSOR_ADDRESS));
            assertThat(view(plan, "eipalloc-1").state()).as("kept free for zone-a's replacement").isEqualTo(AddressState.FREE);
        }

        @Test
        void neverUsedAddressesComeBeforeOtherClustersFormerOnes() {
            AllocationPlan plan = plan(List.of(free("eipalloc-0", "ns/b"), free("eipalloc-9", null)), running("i-a1", "ns/a", 0));
            assertThat(plan.associate()).containsExactly(new Associate("eipalloc-9", "i-a1", "ns/a", AssignReason.UNUSED_ADDRESS));
        }

        @Test
        void anotherClustersPredecessorsAddressIsUsedLastToo() {
            AllocationPlan plan = plan(List.of(freeAfter("eipalloc-0", "ns/b", "i-b-dead"), free("eipalloc-9", null)),
                    in("i-b-dead", "ns/b", InstanceState.TERMINATED, 0), running("i-a1", "ns/a", 0));
            assertThat(plan.associate()).containsExactly(new Associate("eipalloc-9", "i-a1", "ns/a", AssignReason.UNUSED_ADDRESS));
        }

        @Test
        void otherClustersFormerAddressesAreUsedLast() {
            AllocationPlan plan = plan(List.of(free("eipalloc-0", "ns/gone")), running("i-a1", "ns/a", 0));
            assertThat(plan.associate()).containsExactly(new Associate("eipalloc-0", "i-a1", "ns/a", AssignReason.OTHER_CLUSTERS_ADDRESS));
        }

        @Test
        void eachClusterTakesBackItsOwnFormerAddresses() {
            AllocationPlan plan = plan(List.of(free("eipalloc-1", "ns/b"), free("eipalloc-2", "ns/a")),
                    running("i-a1", "ns/a", 0), running("i-b1", "ns/b", 0));
            assertThat(given(plan)).containsExactly(Map.entry("eipalloc-1", "i-b1"), Map.entry("eipalloc-2", "i-a1"));
        }

        @Test
        void theLongestWaitingInstanceIsServedFirstThenById() {
            AllocationPlan plan = plan(List.of(free("eipalloc-1", "ns/a"), free("eipalloc-2", null)),
                    running("i-young", "ns/a", 9), running("i-old-b", "ns/a", 1), running("i-old-a", "ns/a", 1));
            assertThat(given(plan)).containsExactly(Map.entry("eipalloc-1", "i-old-a"), Map.entry("eipalloc-2", "i-old-b"));
            assertThat(plan.unserved()).containsExactly(Map.entry("ns/a", List.of("i-young")));
        }
    }

    @Nested
    class Rule4bWaitingForThePredecessorsAddress {
        @Test
        void aReplacementWaitsOnePassForItsPredecessorsAddressRatherThanTakeAnother() {
            // AWS: the dying machine still holds its address while shutting down and its replacement already runs.
            AllocatorWorld world = new AllocatorWorld(List.of(free("eipalloc-0", null), freeAfter("eipalloc-1", "ns/a", "i-long-gone"),
                    on("eipalloc-7", "i-dying", "ns/a", "i-dying")),
                    List.of(in("i-dying", "ns/a", InstanceState.SHUTTING_DOWN, 0), running("i-new", "ns/a", 9)));
            AllocationPlan first = world.plan();
            assertThat(first.associate()).isEmpty();
            assertThat(first.disassociate()).extracting(Disassociate::allocationId).containsExactly("eipalloc-7");
            assertThat(first.awaitingRelease()).containsExactly(Map.entry("ns/a", List.of("i-new")));
            assertThat(first.unserved()).isEmpty();
            assertThat(first.exhausted()).as("an address is on its way").isFalse();

            AllocationPlan second = world.apply(first).plan();
            assertThat(second.associate()).containsExactly(new Associate("eipalloc-7", "i-new", "ns/a", AssignReason.PREDECESSOR_ADDRESS));
            assertThat(second.awaitingRelease()).isEmpty();
        }

        @Test
        void onlyAsManyWaitAsAddressesAreComingTheLongestWaitingFirst() {
            AllocationPlan plan = plan(List.of(free("eipalloc-0", null), free("eipalloc-1", null), on("eipalloc-7", "i-dying", "ns/a", "i-dying")),
                    in("i-dying", "ns/a", InstanceState.TERMINATED, 0), running("i-young", "ns/a", 9), running("i-old", "ns/a", 8));
            assertThat(plan.awaitingRelease()).containsExactly(Map.entry("ns/a", List.of("i-old")));
            assertThat(plan.associate()).containsExactly(new Associate("eipalloc-0", "i-young", "ns/a", AssignReason.UNUSED_ADDRESS));
        }

        @Test
        void anAddressOurTagsDoNotGiveBackToTheClusterIsNotWaitedFor() {
            AllocationPlan plan = plan(List.of(free("eipalloc-0", null), on("eipalloc-7", "i-dying", null, null)),
                    in("i-dying", "ns/a", InstanceState.SHUTTING_DOWN, 0), running("i-new", "ns/a", 9));
            assertThat(plan.awaitingRelease()).isEmpty();
            assertThat(plan.associate()).containsExactly(new Associate("eipalloc-0", "i-new", "ns/a", AssignReason.UNUSED_ADDRESS));
        }

        @Test
        void aClusterWithNothingWaitingReservesNothing() {
            AllocationPlan plan = plan(List.of(on("eipalloc-7", "i-dying", "ns/a", "i-dying"), free("eipalloc-0", null)),
                    in("i-dying", "ns/a", InstanceState.SHUTTING_DOWN, 0), running("i-b1", "ns/b", 9));
            assertThat(plan.awaitingRelease()).isEmpty();
            assertThat(given(plan)).containsExactly(Map.entry("eipalloc-0", "i-b1"));
        }

        @Test
        void theAddressOnItsWayCountsAsHeldForFairness() {
            // ns/a keeps 1 and gets 1 back next pass; ns/b keeps 1: the one free address goes to ns/b.
            AllocationPlan plan = plan(List.of(on("eipalloc-1", "i-a1", "ns/a", "i-a1"), on("eipalloc-2", "i-dying", "ns/a", "i-dying"),
                            on("eipalloc-3", "i-b1", "ns/b", "i-b1"), free("eipalloc-9", null)),
                    running("i-a1", "ns/a", 0), in("i-dying", "ns/a", InstanceState.SHUTTING_DOWN, 0), running("i-a2", "ns/a", 1),
                    running("i-a3", "ns/a", 2), running("i-b1", "ns/b", 0), running("i-b2", "ns/b", 1));
            assertThat(given(plan)).containsExactly(Map.entry("eipalloc-9", "i-b2"));
            assertThat(plan.awaitingRelease()).containsExactly(Map.entry("ns/a", List.of("i-a2")));
            assertThat(plan.unserved()).containsExactly(Map.entry("ns/a", List.of("i-a3")));
        }
    }
}
