package io.autoheal.eip;

import static io.autoheal.eip.AllocatorWorld.carrier;
import static io.autoheal.eip.AllocatorWorld.free;
import static io.autoheal.eip.AllocatorWorld.freeAfter;
import static io.autoheal.eip.AllocatorWorld.in;
import static io.autoheal.eip.AllocatorWorld.on;
import static io.autoheal.eip.AllocatorWorld.onNonInstance;
import static io.autoheal.eip.AllocatorWorld.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autoheal.eip.AllocationPlan.AddressState;
import io.autoheal.eip.AllocationPlan.AddressView;
import io.autoheal.eip.AllocationPlan.AssignReason;
import io.autoheal.eip.AllocationPlan.Associate;
import io.autoheal.eip.AllocationPlan.Disassociate;
import io.autoheal.eip.AllocationPlan.FreeReason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One table of cases per rule of {@link AddressAllocator}; which address goes to whom: {@link AddressAllocatorPredecessorTest}. */
class AddressAllocatorTest {

    static AllocationPlan plan(List<PoolAddress> addresses, CandidateInstance... candidates) {
        return AddressAllocator.plan(addresses, List.of(candidates));
    }

    static AddressView view(AllocationPlan plan, String allocationId) {
        return plan.addresses().stream().filter(v -> v.allocationId().equals(allocationId)).findFirst().orElseThrow();
    }

    static Map<String, String> given(AllocationPlan plan) {
        Map<String, String> out = new java.util.TreeMap<>();
        plan.associate().forEach(a -> out.put(a.allocationId(), a.instanceId()));
        return out;
    }

    @Nested
    class Edges {
        @Test
        void emptyPoolAndNoInstancesPlanNothing() {
            AllocationPlan plan = plan(List.of());
            assertThat(plan.isEmpty()).isTrue();
            assertThat(plan.counts()).isEqualTo(new AllocationPlan.Counts(0, 0, 0, 0, 0, 0));
            assertThat(plan.exhausted()).isFalse();
        }

        @Test
        void emptyPoolReportsEveryWaitingInstance() {
            AllocationPlan plan = plan(List.of(), running("i-a1", "ns/a", 0), running("i-b1", "ns/b", 0));
            assertThat(plan.associate()).isEmpty();
            assertThat(plan.unserved()).containsExactly(Map.entry("ns/a", List.of("i-a1")), Map.entry("ns/b", List.of("i-b1")));
            assertThat(plan.counts().waiting()).isEqualTo(2);
            assertThat(plan.exhausted()).isTrue();
        }

        @Test
        void noInstancesLeaveFreeAddressesFree() {
            AllocationPlan plan = plan(List.of(free("eipalloc-1", null), free("eipalloc-2", "ns/a")));
            assertThat(plan.isEmpty()).isTrue();
            assertThat(plan.counts()).isEqualTo(new AllocationPlan.Counts(2, 2, 0, 0, 0, 0));
            assertThat(view(plan, "eipalloc-2").cluster()).as("a free address shows who held it last").isEqualTo("ns/a");
        }

        @Test
        void duplicateIdsInTheObservationAreRejected() {
            assertThatThrownBy(() -> plan(List.of(free("eipalloc-1", null), free("eipalloc-1", null))))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> plan(List.of(), running("i-1", "ns/a", 0), running("i-1", "ns/b", 0)))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void countsDescribeThePoolAfterThePlan() {
            AllocationPlan plan = plan(List.of(on("eipalloc-1", "i-a1", "ns/a", "i-a1"), on("eipalloc-2", "i-dead", "ns/a", "i-dead"),
                            onNonInstance("eipalloc-3", null, null), free("eipalloc-4", null), free("eipalloc-5", null)),
                    running("i-a1", "ns/a", 0), in("i-dead", "ns/a", InstanceState.TERMINATED, 0), running("i-a2", "ns/a", 1));
            // i-a2 waits one pass for i-dead's address (eipalloc-2) rather than take a free one.
            assertThat(plan.counts()).isEqualTo(new AllocationPlan.Counts(5, 2, 1, 1, 1, 0));
            assertThat(plan.awaitingRelease()).containsExactly(Map.entry("ns/a", List.of("i-a2")));
        }
    }

    @Nested
    class Rule1Stability {
        @ParameterizedTest
        @EnumSource(value = InstanceState.class, names = {"PENDING", "RUNNING", "STOPPING", "STOPPED"})
        void anAddressOnAnAliveCandidateStays(InstanceState state) {
            AllocationPlan plan = plan(List.of(on("eipalloc-1", "i-1", "ns/a", "i-1"), free("eipalloc-2", null)),
                    in("i-1", "ns/a", state, 0));
            assertThat(plan.isEmpty()).isTrue();
            assertThat(view(plan, "eipalloc-1")).isEqualTo(new AddressView("eipalloc-1", AllocatorWorld.ip("eipalloc-1"),
                    AddressState.ASSIGNED, "ns/a", "i-1"));
        }

        @Test
        void staleOrMissingTagsDoNotMoveAnAddressOffACandidate() {
            AllocationPlan plan = plan(List.of(on("eipalloc-1", "i-1", "ns/b", "i-old"), on("eipalloc-2", "i-2", null, null)),
                    running("i-1", "ns/a", 0), running("i-2", "ns/a", 0));
            assertThat(plan.isEmpty()).isTrue();
            assertThat(view(plan, "eipalloc-1").cluster()).as("the holder's cluster, not the stale tag").isEqualTo("ns/a");
            assertThat(plan.count(AddressState.ASSIGNED)).isEqualTo(2);
        }
    }

    @Nested
    class Rule2Foreign {
        @Test
        void foreignAssociationsAreReportedAndNeverTouched() {
            List<PoolAddress> pool = List.of(
                    onNonInstance("eipalloc-nat", null, null),
                    onNonInstance("eipalloc-eni", "ns/a", "i-gone"),  // our old tags do not make a NAT ours
                    on("eipalloc-other", "i-stranger", null, null),
                    on("eipalloc-stale", "i-stranger2", "ns/a", "i-someone-else"));
            AllocationPlan plan = plan(pool, running("i-a1", "ns/a", 0));
            assertThat(plan.isEmpty()).isTrue();
            assertThat(plan.addresses()).extracting(AddressView::state).containsOnly(AddressState.FOREIGN);
            assertThat(plan.foreign()).isEqualTo(4);
            assertThat(plan.unserved()).containsExactly(Map.entry("ns/a", List.of("i-a1")));
        }

        @Test
        void anAssociationWithoutAnAssociationIdIsForeignNotAFailure() {
            // EC2-Classic style (or an odd answer): we could not undo it, so we neither count nor touch it.
            PoolAddress noId = new PoolAddress("eipalloc-x", "203.0.113.9", "i-a1", null, false, "ns/a", "i-a1");
            AllocationPlan plan = plan(List.of(noId, free("eipalloc-y", null)), running("i-a1", "ns/a", 0));
            assertThat(view(plan, "eipalloc-x").state()).isEqualTo(AddressState.FOREIGN);
            assertThat(plan.disassociate()).isEmpty();
            assertThat(plan.associate()).singleElement().extracting(AllocationPlan.Associate::allocationId).isEqualTo("eipalloc-y");
        }
    }

    @Nested
    class Rule3Freeing {
        @ParameterizedTest
        @EnumSource(value = InstanceState.class, names = {"SHUTTING_DOWN", "TERMINATED"})
        void anAddressOnADyingCandidateIsFreed(InstanceState state) {
            AllocationPlan plan = plan(List.of(on("eipalloc-1", "i-1", null, null)), in("i-1", "ns/a", state, 0));
            assertThat(plan.disassociate()).containsExactly(new Disassociate("eipalloc-1", "eipassoc-eipalloc-1", "i-1",
                    FreeReason.INSTANCE_TERMINATING));
            assertThat(view(plan, "eipalloc-1").state()).isEqualTo(AddressState.RELEASING);
        }

        @Test
        void anAddressWePutOnAnInstanceThatIsNoneOfThePoolsClustersMachinesIsForeignAndStays() {
            // Another namespace's machine, an orphaned cluster's, one of a cluster the pool no longer serves: not ours to place.
            AllocationPlan plan = plan(List.of(on("eipalloc-1", "i-detached", "ns/a", "i-detached")));
            assertThat(plan.disassociate()).isEmpty();
            assertThat(view(plan, "eipalloc-1")).extracting(AddressView::state, AddressView::cluster)
                    .containsExactly(AddressState.FOREIGN, null);
            assertThat(plan.foreignHolders()).containsEntry("eipalloc-1",
                    "on i-detached, not a machine of this pool's clusters (last assigned to cluster ns/a)");
        }

        @Test
        void secondAddressWePutOnOneInstanceIsFreedAndTheLowestKept() {
            AllocationPlan plan = plan(List.of(on("eipalloc-1", "i-1", "ns/a", "i-1"), on("eipalloc-2", "i-1", "ns/a", "i-1")),
                    running("i-1", "ns/a", 0));
            assertThat(plan.disassociate()).singleElement().satisfies(d -> {
                assertThat(d.allocationId()).isEqualTo("eipalloc-2");
                assertThat(d.reason()).isEqualTo(FreeReason.DUPLICATE_ON_INSTANCE);
            });
        }

        @Test
        void secondAddressSomeoneElsePutOnOneInstanceIsLeftAlone() {
            AllocationPlan plan = plan(List.of(on("eipalloc-1", "i-1", "ns/a", "i-1"), on("eipalloc-2", "i-1", null, null)),
                    running("i-1", "ns/a", 0));
            assertThat(plan.isEmpty()).isTrue();
        }
    }

    @Nested
    class Rule5OneAddressPerInstance {
        @Test
        void anInstanceWithAPoolAddressGetsNoOther() {
            AllocationPlan plan = plan(List.of(on("eipalloc-1", "i-1", "ns/a", "i-1"), free("eipalloc-2", "ns/a")), running("i-1", "ns/a", 0));
            assertThat(plan.associate()).isEmpty();
        }

        @ParameterizedTest
        @EnumSource(value = InstanceState.class, names = {"PENDING", "RUNNING"})
        void anInstanceCarryingAnElasticIpFromOutsideThePoolGetsNoneAndDoesNotWait(InstanceState state) {
            AllocationPlan plan = plan(List.of(free("eipalloc-1", null)), carrier("i-1", "ns/a", state), running("i-2", "ns/a", 3));
            assertThat(plan.associate()).containsExactly(new Associate("eipalloc-1", "i-2", "ns/a", AssignReason.UNUSED_ADDRESS));
            assertThat(plan.unserved()).isEmpty();
            assertThat(plan.exhausted()).isFalse();
        }

        @Test
        void anInstanceCarryingAnOutsideElasticIpDoesNotMakeAnEmptyPoolExhausted() {
            AllocationPlan plan = plan(List.of(), carrier("i-1", "ns/a", InstanceState.RUNNING));
            assertThat(plan.exhausted()).isFalse();
            assertThat(plan.counts().waiting()).isZero();
        }

        @Test
        void aCarrierThatAlsoHoldsAPoolAddressKeepsIt() {
            // moto lets an instance hold two; on AWS a second interface can. Rule 1 holds: nothing is taken off.
            AllocationPlan plan = plan(List.of(on("eipalloc-1", "i-1", "ns/a", "i-1")), carrier("i-1", "ns/a", InstanceState.RUNNING));
            assertThat(plan.isEmpty()).isTrue();
            assertThat(view(plan, "eipalloc-1").state()).isEqualTo(AddressState.ASSIGNED);
        }

        @Test
        void pendingInstancesGetAnAddressStoppedOnesDoNot() {
            AllocationPlan plan = plan(List.of(free("eipalloc-1", null), free("eipalloc-2", null)),
                    in("i-stopped", "ns/a", InstanceState.STOPPED, 0), in("i-stopping", "ns/a", InstanceState.STOPPING, 0),
                    in("i-pending", "ns/a", InstanceState.PENDING, 5));
            assertThat(given(plan)).containsExactly(Map.entry("eipalloc-1", "i-pending"));
            assertThat(plan.exhausted()).isFalse();
        }

        @Test
        void manyFreeAddressesStillGiveOneEach() {
            AllocationPlan plan = plan(List.of(free("eipalloc-1", null), free("eipalloc-2", null), free("eipalloc-3", "ns/a")),
                    running("i-1", "ns/a", 0));
            assertThat(plan.associate()).singleElement().extracting(Associate::allocationId).isEqualTo("eipalloc-3");
        }
    }

    @Nested
    class Rule6NoReuseInOnePlan {
        @Test
        void anAddressBeingFreedGoesToTheReplacementOnTheNextPass() {
            AllocatorWorld world = new AllocatorWorld(List.of(on("eipalloc-1", "i-old", "ns/a", "i-old")),
                    List.of(in("i-old", "ns/a", InstanceState.SHUTTING_DOWN, 0), running("i-new", "ns/a", 3)));
            AllocationPlan first = world.plan();
            assertThat(first.associate()).isEmpty();
            assertThat(first.awaitingRelease()).containsExactly(Map.entry("ns/a", List.of("i-new")));

            AllocationPlan second = world.apply(first).plan();
            assertThat(second.associate()).containsExactly(new Associate("eipalloc-1", "i-new", "ns/a", AssignReason.PREDECESSOR_ADDRESS));
        }
    }

    @Nested
    class Rule7Fairness {
        @Test
        void scarceAddressesAreSharedByWaterFillingAndTheRestReported() {
            List<PoolAddress> pool = List.of(free("eipalloc-1", null), free("eipalloc-2", null), free("eipalloc-3", null),
                    free("eipalloc-4", null), free("eipalloc-5", null));
            AllocationPlan plan = plan(pool, running("i-a1", "ns/a", 0), running("i-a2", "ns/a", 1), running("i-a3", "ns/a", 2),
                    running("i-b1", "ns/b", 0), running("i-b2", "ns/b", 1), running("i-b3", "ns/b", 2));
            assertThat(plan.associate().stream().filter(a -> a.cluster().equals("ns/a"))).hasSize(3);
            assertThat(plan.associate().stream().filter(a -> a.cluster().equals("ns/b"))).hasSize(2);
            assertThat(plan.unserved()).containsExactly(Map.entry("ns/b", List.of("i-b3")));
        }

        @Test
        void theClusterHoldingFewerIsServedFirstEvenOverAnOlderInstance() {
            AllocationPlan plan = plan(List.of(on("eipalloc-1", "i-a1", "ns/a", "i-a1"), free("eipalloc-2", null)),
                    running("i-a1", "ns/a", 0), running("i-a2", "ns/a", 1), running("i-b1", "ns/b", 9));
            assertThat(given(plan)).containsExactly(Map.entry("eipalloc-2", "i-b1"));
            assertThat(plan.unserved()).containsExactly(Map.entry("ns/a", List.of("i-a2")));
        }

        @Test
        void fairnessDecidesHowManyEvenWhenTheAddressWasAnotherClustersBefore() {
            AllocationPlan plan = plan(List.of(on("eipalloc-1", "i-a1", "ns/a", "i-a1"), free("eipalloc-2", "ns/a")),
                    running("i-a1", "ns/a", 0), running("i-a2", "ns/a", 1), running("i-b1", "ns/b", 9));
            assertThat(plan.associate()).containsExactly(new Associate("eipalloc-2", "i-b1", "ns/b", AssignReason.OTHER_CLUSTERS_ADDRESS));
        }

        @Test
        void aClusterWhoseShareIsFilledWithItsOwnFormerAddressesLetsTheRestGo() {
            AllocationPlan plan = plan(List.of(free("eipalloc-1", "ns/a"), free("eipalloc-2", "ns/a")),
                    running("i-a1", "ns/a", 0), running("i-a2", "ns/a", 1), running("i-b1", "ns/b", 2), running("i-b2", "ns/b", 3));
            assertThat(plan.associate()).containsExactly(
                    new Associate("eipalloc-1", "i-a1", "ns/a", AssignReason.CLUSTERS_FORMER_ADDRESS),
                    new Associate("eipalloc-2", "i-b1", "ns/b", AssignReason.OTHER_CLUSTERS_ADDRESS));
        }

        @Test
        void tiesGoToTheFirstClusterName() {
            AllocationPlan plan = plan(List.of(free("eipalloc-1", null)), running("i-b1", "ns/b", 0), running("i-a1", "ns/a", 5));
            assertThat(given(plan)).containsExactly(Map.entry("eipalloc-1", "i-a1"));
        }

        @Test
        void noFreeAddressNoAssociation() {
            AllocationPlan plan = plan(List.of(on("eipalloc-1", "i-a1", "ns/a", "i-a1"), onNonInstance("eipalloc-2", null, null),
                    on("eipalloc-3", "i-dead", "ns/b", "i-dead")), running("i-a1", "ns/a", 0), running("i-b1", "ns/b", 0),
                    in("i-dead", "ns/b", InstanceState.TERMINATED, 0));
            assertThat(plan.associate()).isEmpty();
            assertThat(plan.disassociate()).hasSize(1);
            assertThat(plan.awaitingRelease()).as("i-dead's address comes back to ns/b").containsExactly(Map.entry("ns/b", List.of("i-b1")));
            assertThat(plan.unserved()).isEmpty();
        }
    }

    @Nested
    class Rule8And9DeterminismAndIdempotence {
        final List<PoolAddress> pool = List.of(free("eipalloc-1", null), freeAfter("eipalloc-2", "ns/b", "i-b0"),
                on("eipalloc-3", "i-a1", "ns/a", "i-a1"), on("eipalloc-4", "i-dead", "ns/a", "i-dead"),
                onNonInstance("eipalloc-5", null, null), free("eipalloc-6", "ns/a"), on("eipalloc-7", "i-left", "ns/c", "i-left"));
        final List<CandidateInstance> fleet = List.of(running("i-a1", "ns/a", 0), running("i-a2", "ns/a", 1),
                in("i-dead", "ns/a", InstanceState.TERMINATED, 0), running("i-b1", "ns/b", 2), in("i-b2", "ns/b", InstanceState.PENDING, 3),
                running("i-c1", "ns/c", 4));

        @Test
        void theOrderOfTheInputsDoesNotMatter() {
            AllocationPlan expected = AddressAllocator.plan(pool, fleet);
            Random random = new Random(7);
            for (int i = 0; i < 20; i++) {
                List<PoolAddress> a = new ArrayList<>(pool);
                List<CandidateInstance> c = new ArrayList<>(fleet);
                Collections.shuffle(a, random);
                Collections.shuffle(c, random);
                assertThat(AddressAllocator.plan(a, c)).isEqualTo(expected);
            }
        }

        @Test
        void appliedPlansSettleAndThenPlanNothing() {
            AllocatorWorld world = new AllocatorWorld(pool, fleet);
            AllocationPlan first = world.plan();
            // eipalloc-7 is on i-left, none of the pool's clusters' machines: foreign, it stays
            assertThat(first.disassociate()).extracting(Disassociate::allocationId).containsExactly("eipalloc-4");
            AllocatorWorld once = world.apply(first);
            AllocationPlan second = once.plan();
            assertThat(second.disassociate()).isEmpty();
            assertThat(once.apply(second).plan().isEmpty()).isTrue();
        }
    }
}
