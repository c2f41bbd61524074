package io.autoheal.eip;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.eip.AddressOwnership.Claim;
import io.autoheal.eip.AllocationPlan.AddressState;
import io.autoheal.eip.AllocationPlan.AddressView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the pool sees, no plan moves an address this pool has not claimed, and nothing another pool claimed is given. */
class AddressOwnershipPropertiesTest {

    record World(List<PoolAddress> addresses, List<CandidateInstance> candidates) {
    }

    @Provide
    Arbitrary<World> worlds() {
        Arbitrary<CandidateInstance> machine = Combinators.combine(Arbitraries.of(InstanceState.values()), Arbitraries.of("ns/a", "ns/b"),
                        Arbitraries.of(false, false, true), Arbitraries.of(false, false, true))
                .as((state, cluster, deleting, carrier) -> new CandidateInstance("i-?", cluster, state, Instant.EPOCH, null, carrier, deleting));
        return machine.list().ofMaxSize(6).flatMap(machines -> {
            List<CandidateInstance> candidates = new ArrayList<>();
            for (int i = 0; i < machines.size(); i++) {
                CandidateInstance m = machines.get(i);
                candidates.add(new CandidateInstance("i-" + i, m.cluster(), m.state(), m.launchTime(), null, m.carriesOtherElasticIp(),
                        m.clusterDeleting()));
            }
            // holders: a candidate, an instance of no cluster of the pool, a NAT gateway, or none
            Arbitrary<String> holder = Arbitraries.of("i-0", "i-1", "i-2", "i-3", "i-4", "i-5", "i-stranger", "nat", "none");
            Arbitrary<PoolAddress> address = Combinators.combine(holder, Arbitraries.of(Claim.values()), Arbitraries.of(true, false),
                            Arbitraries.of(true, false))
                    .as((h, claim, tagged, undoable) -> {
                        String instance = h.equals("none") || h.equals("nat") ? null : h;
                        String association = h.equals("none") || !undoable && !h.equals("nat") ? null : "eipassoc-x";
                        return new PoolAddress("x", "127.0.0.1", instance, association, h.equals("nat"), tagged ? "ns/a" : null,
                                tagged ? instance : null, claim, claim == Claim.THIS_POOL || claim == Claim.NONE ? null : "pool someone/else");
                    });
            return address.list().ofMaxSize(8).map(list -> {
                List<PoolAddress> numbered = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    PoolAddress a = list.get(i);
                    numbered.add(new PoolAddress("eipalloc-" + i, "127.0.0." + (i + 1), a.associatedInstanceId(), a.associationId(),
                            a.associatedWithNonInstance(), a.lastCluster(), a.lastInstance(), a.claim(), a.claimant()));
                }
                return new World(numbered, candidates);
            });
        });
    }

    @Property(tries = 2000)
    void noPlanMovesAnAddressThisPoolHasNotClaimedNorGivesOneSomeoneElseClaimed(@ForAll("worlds") World world) {
        AllocationPlan plan = AddressAllocator.plan(world.addresses(), world.candidates());
        Map<String, PoolAddress> byId = world.addresses().stream().collect(Collectors.toMap(PoolAddress::allocationId, Function.identity()));
        Map<String, CandidateInstance> machines = world.candidates().stream()
                .collect(Collectors.toMap(CandidateInstance::instanceId, Function.identity()));

        for (AllocationPlan.Disassociate d : plan.disassociate()) {
            PoolAddress a = byId.get(d.allocationId());
            assertThat(a.claim()).as("freed %s", a).isEqualTo(Claim.THIS_POOL);
            CandidateInstance holder = machines.get(a.associatedInstanceId());
            assertThat(holder).as("freed from a machine the pool places: %s", a).isNotNull();
            assertThat(!holder.state().alive() || d.reason() == AllocationPlan.FreeReason.DUPLICATE_ON_INSTANCE).isTrue();
        }
        for (AllocationPlan.Associate as : plan.associate()) {
            PoolAddress a = byId.get(as.allocationId());
            assertThat(a.associated()).isFalse();
            assertThat(a.claim()).isNotIn(Claim.OTHER_POOL, Claim.OTHER_INSTALLATION);
            assertThat(plan.claimFirst().contains(a.allocationId())).as("claimed first unless ours: %s", a)
                    .isEqualTo(a.claim() != Claim.THIS_POOL);
            CandidateInstance to = machines.get(as.instanceId());
            assertThat(to.clusterDeleting()).isFalse();
            assertThat(world.addresses()).as("%s already holds an address", to.instanceId())
                    .noneMatch(held -> held.undoable() && to.instanceId().equals(held.associatedInstanceId()));
        }
        Set<String> foreign = plan.addresses().stream().filter(v -> v.state() == AddressState.FOREIGN).map(AddressView::allocationId)
                .collect(Collectors.toSet());
        world.addresses().stream().filter(a -> a.claim() == Claim.OTHER_POOL || a.claim() == Claim.OTHER_INSTALLATION)
                .forEach(a -> assertThat(foreign).contains(a.allocationId()));
        assertThat(plan.foreignHolders().keySet()).isEqualTo(foreign);
        for (String id : plan.adopt()) {
            PoolAddress a = byId.get(id);
            assertThat(a.claim()).isEqualTo(Claim.NONE);
            assertThat(machines.get(a.associatedInstanceId()).clusterDeleting()).isFalse();
        }
    }
}
