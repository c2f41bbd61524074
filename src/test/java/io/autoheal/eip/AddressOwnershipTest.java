package io.autoheal.eip;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.fleet.ObservedAddress;
import io.autoheal.fleet.Tags;
import io.autoheal.eip.AddressOwnership.Claim;
import io.autoheal.eip.AddressOwnership.Decision;
import io.autoheal.eip.AddressOwnership.Holder;
import io.autoheal.eip.AllocationPlan.AddressState;
import io.autoheal.eip.AllocationPlan.AddressView;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who may move an address: the claim × where the address is, as one table; then the same rows through a whole plan. */
class AddressOwnershipTest {
    static final PoolClaim VOIP = new PoolClaim("default", "tenant/voip-eips");

    @ParameterizedTest(name = "{0} on {1} (second {2}, tagged {3}) -> {4}")
    @CsvSource({
            // free addresses: ours or nobody's may be given; an unclaimed one is claimed first
            "THIS_POOL,          NOTHING,                   false, false, GIVE",
            "NONE,               NOTHING,                   false, false, CLAIM_AND_GIVE",
            "ORPHANED,           NOTHING,                   false, false, CLAIM_AND_GIVE",
            "OTHER_POOL,         NOTHING,                   false, false, FOREIGN",
            "OTHER_INSTALLATION, NOTHING,                   false, false, FOREIGN",
            // a machine of a cluster this pool serves
            "THIS_POOL,          SERVED_MACHINE,            false, true,  KEEP",
            "THIS_POOL,          SERVED_MACHINE,            true,  true,  FREE_SECOND_ON_MACHINE",
            "THIS_POOL,          SERVED_MACHINE,            true,  false, KEEP",
            "NONE,               SERVED_MACHINE,            false, true,  ADOPT",
            "OTHER_POOL,         SERVED_MACHINE,            false, true,  FOREIGN",
            "OTHER_POOL,         SERVED_MACHINE,            true,  true,  FOREIGN",
            "OTHER_INSTALLATION, SERVED_MACHINE,            false, true,  FOREIGN",
            "ORPHANED,           SERVED_MACHINE,            false, true,  FOREIGN",
            // terminated or shutting down: only our own claim is freed
            "THIS_POOL,          DYING_MACHINE,             false, true,  FREE_FROM_DYING_MACHINE",
            "NONE,               DYING_MACHINE,             false, true,  KEEP",
            "OTHER_POOL,         DYING_MACHINE,             false, true,  FOREIGN",
            "OTHER_INSTALLATION, DYING_MACHINE,             false, true,  FOREIGN",
            "ORPHANED,           DYING_MACHINE,             false, true,  FOREIGN",
            // a cluster being deleted (Delete or Orphan): kept, never adopted
            "THIS_POOL,          DELETING_CLUSTERS_MACHINE, false, true,  KEEP",
            "NONE,               DELETING_CLUSTERS_MACHINE, false, true,  KEEP",
            "ORPHANED,           DELETING_CLUSTERS_MACHINE, false, true,  FOREIGN",
            "OTHER_POOL,         DELETING_CLUSTERS_MACHINE, false, true,  FOREIGN",
            // a cluster this pool does not serve, another namespace, an orphaned cluster's machine, nothing we observe
            "THIS_POOL,          UNPLACED_INSTANCE,         false, true,  FOREIGN",
            "NONE,               UNPLACED_INSTANCE,         false, true,  FOREIGN",
            "OTHER_POOL,         UNPLACED_INSTANCE,         false, false, FOREIGN",
            "OTHER_INSTALLATION, UNPLACED_INSTANCE,         false, false, FOREIGN",
            "ORPHANED,           UNPLACED_INSTANCE,         false, true,  FOREIGN",
            // a NAT gateway or network interface
            "THIS_POOL,          NOT_AN_INSTANCE,           false, false, FOREIGN",
            "NONE,               NOT_AN_INSTANCE,           false, false, FOREIGN",
    })
    void decide(Claim claim, Holder holder, boolean second, boolean tagged, Decision expected) {
        assertThat(AddressOwnership.decide(claim, holder, second, tagged)).isEqualTo(expected);
    }

    @Test
    void theTableCoversEveryClaimAndHolderAndOnlyOurOwnClaimIsEverFreed() {
        for (Claim claim : Claim.values()) {
            for (Holder holder : Holder.values()) {
                for (boolean second : new boolean[] {false, true}) {
                    Decision d = AddressOwnership.decide(claim, holder, second, true);
                    if (d.frees()) {
                        assertThat(claim).as("%s on %s", claim, holder).isEqualTo(Claim.THIS_POOL);
                        assertThat(holder).isIn(Holder.SERVED_MACHINE, Holder.DYING_MACHINE);
                    }
                    if (d.givable()) {
                        assertThat(holder).isEqualTo(Holder.NOTHING);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "autoheal.io/claimed-by=default/tenant/voip-eips                    | THIS_POOL",
            "autoheal.io/claimed-by=default/other/squatter                      | OTHER_POOL",
            "autoheal.io/claimed-by=default/tenant/voip-eips-2                  | OTHER_POOL",
            "autoheal.io/claimed-by=blue/tenant/voip-eips                       | OTHER_INSTALLATION",
            "autoheal.io/installation=blue                                      | OTHER_INSTALLATION",
            "autoheal.io/installation=default                                   | NONE",
            "autoheal.io/orphaned-from=default/tenant/voip                      | ORPHANED",
            "autoheal.io/installation=blue,autoheal.io/orphaned-from=x/y/z      | OTHER_INSTALLATION",
            "autoheal.io/claimed-by=default/tenant/voip-eips,autoheal.io/installation=blue | THIS_POOL",
            "team=edge                                                          | NONE",
    })
    void claimsReadFromTags(String tags, Claim expected) {
        assertThat(VOIP.read(tags(tags))).isEqualTo(expected);
    }

    static Map<String, String> tags(String text) {
        Map<String, String> out = new HashMap<>();
        for (String kv : text.split(",")) {
            String[] p = kv.trim().split("=", 2);
            out.put(p[0], p[1]);
        }
        return out;
    }

    /** The brief's rows, through PoolInputs and the whole plan: tags in, actions and report out. */
    @Nested
    class WholePlans {
        static final String VOIP_MACHINE = "i-voip1";

        static ObservedAddress address(String id, String instance, Map<String, String> tags) {
            return new ObservedAddress(id, "127.0.0." + id.length(), instance, instance == null ? null : "eipassoc-" + id, null, tags);
        }

        static CandidateInstance machine(String id, String cluster, InstanceState state, boolean deleting) {
            return new CandidateInstance(id, cluster, state, Instant.parse("2026-01-01T00:00:00Z"), "us-east-1a", false, deleting);
        }

        static AllocationPlan plan(PoolClaim pool, List<ObservedAddress> addresses, CandidateInstance... machines) {
            return AddressAllocator.plan(PoolInputs.addresses(addresses, pool), List.of(machines));
        }

        static AddressState state(AllocationPlan plan, String id) {
            return plan.addresses().stream().filter(v -> v.allocationId().equals(id)).map(AddressView::state).findFirst().orElseThrow();
        }

        static final Map<String, String> VOIPS_CLAIM = Map.of(Tags.CLAIMED_BY, VOIP.value(), Tags.ASSIGNED_INSTANCE, VOIP_MACHINE,
                Tags.ASSIGNED_CLUSTER, "tenant/voip");

        @Test
        void aPoolInAnotherNamespaceListingTheVoipMachinesAddressTakesNothingAndNamesTheClaimant() {
            PoolClaim squatter = new PoolClaim("default", "other/squatter");
            // it serves no cluster at all: the voip machine is none of its machines
            AllocationPlan plan = plan(squatter, List.of(address("eipalloc-1", VOIP_MACHINE, VOIPS_CLAIM)));
            assertThat(plan.disassociate()).isEmpty();
            assertThat(plan.associate()).isEmpty();
            assertThat(state(plan, "eipalloc-1")).isEqualTo(AddressState.FOREIGN);
            assertThat(plan.foreignHolders()).containsEntry("eipalloc-1",
                    "claimed by pool default/tenant/voip-eips, on i-voip1, not a machine of this pool's clusters"
                            + " (last assigned to cluster tenant/voip)");
        }

        @Test
        void anUnclaimedAddressOnAMachineOfAClusterThisPoolDoesNotServeIsForeignToo() {
            PoolClaim squatter = new PoolClaim("default", "other/squatter");
            AllocationPlan plan = plan(squatter, List.of(address("eipalloc-1", VOIP_MACHINE, Map.of())),
                    machine("i-own", "other/web", InstanceState.RUNNING, false));
            assertThat(plan.disassociate()).isEmpty();
            assertThat(plan.adopt()).isEmpty();
            assertThat(state(plan, "eipalloc-1")).isEqualTo(AddressState.FOREIGN);
            assertThat(plan.unserved()).as("the pool's own machine still waits: the address is not its").containsKey("other/web");
        }

        @Test
        void theClaimingPoolKeepsItOnItsServedMachineAndFreesItWhenTheMachineDies() {
            AllocationPlan serving = plan(VOIP, List.of(address("eipalloc-1", VOIP_MACHINE, VOIPS_CLAIM)),
                    machine(VOIP_MACHINE, "tenant/voip", InstanceState.RUNNING, false));
            assertThat(serving.isEmpty()).isTrue();
            assertThat(state(serving, "eipalloc-1")).isEqualTo(AddressState.ASSIGNED);

            AllocationPlan dying = plan(VOIP, List.of(address("eipalloc-1", VOIP_MACHINE, VOIPS_CLAIM)),
                    machine(VOIP_MACHINE, "tenant/voip", InstanceState.TERMINATED, false));
            assertThat(dying.disassociate()).singleElement().extracting(AllocationPlan.Disassociate::reason)
                    .isEqualTo(AllocationPlan.FreeReason.INSTANCE_TERMINATING);
        }

        @Test
        void anotherPoolsClaimOnOurServedMachineIsKeptThereAndTheMachineGetsNoSecondAddress() {
            Map<String, String> theirs = Map.of(Tags.CLAIMED_BY, "default/tenant/other-eips");
            AllocationPlan plan = plan(VOIP, List.of(address("eipalloc-1", VOIP_MACHINE, theirs), address("eipalloc-2", null, Map.of())),
                    machine(VOIP_MACHINE, "tenant/voip", InstanceState.RUNNING, false));
            assertThat(plan.disassociate()).isEmpty();
            assertThat(plan.associate()).as("no second address on a machine that holds one").isEmpty();
            assertThat(plan.foreignHolders().get("eipalloc-1")).isEqualTo("claimed by pool default/tenant/other-eips, on i-voip1 of cluster tenant/voip");
        }

        @Test
        void anotherInstallationsAddressIsNeverMovedNorGivenEvenWhenItsMachineDies() {
            Map<String, String> blue = Map.of(Tags.INSTALLATION, "blue", Tags.ASSIGNED_INSTANCE, VOIP_MACHINE);
            AllocationPlan plan = plan(VOIP, List.of(address("eipalloc-1", VOIP_MACHINE, blue), address("eipalloc-2", null, blue)),
                    machine(VOIP_MACHINE, "tenant/voip", InstanceState.SHUTTING_DOWN, false),
                    machine("i-new", "tenant/voip", InstanceState.RUNNING, false));
            assertThat(plan.disassociate()).isEmpty();
            assertThat(plan.associate()).isEmpty();
            assertThat(plan.foreignHolders()).containsOnlyKeys("eipalloc-1", "eipalloc-2");
            assertThat(plan.foreignHolders().get("eipalloc-2")).isEqualTo("claimed by installation blue, free");
        }

        @Test
        void aClusterBeingDeletedKeepsItsMachinesAddressesAndGetsNoNewOne() {
            AllocationPlan plan = plan(VOIP, List.of(address("eipalloc-1", VOIP_MACHINE, VOIPS_CLAIM),
                            address("eipalloc-2", "i-voip2", Map.of(Tags.ASSIGNED_INSTANCE, "i-voip2")), address("eipalloc-3", null, Map.of())),
                    machine(VOIP_MACHINE, "tenant/voip", InstanceState.RUNNING, true), machine("i-voip2", "tenant/voip", InstanceState.RUNNING, true),
                    machine("i-voip3", "tenant/voip", InstanceState.RUNNING, true));
            assertThat(plan.isEmpty()).isTrue();
            assertThat(plan.adopt()).as("an Orphan deletion may just have un-claimed it").isEmpty();
            assertThat(plan.unserved()).isEmpty();
        }

        @Test
        void deleteClusterDying_machinesOfAClusterBeingDeletedWithDeleteReleaseOurAddresses() {
            AllocationPlan plan = plan(VOIP, List.of(address("eipalloc-1", VOIP_MACHINE, VOIPS_CLAIM)),
                    machine(VOIP_MACHINE, "tenant/voip", InstanceState.SHUTTING_DOWN, true));
            assertThat(plan.disassociate()).extracting(AllocationPlan.Disassociate::allocationId).containsExactly("eipalloc-1");
        }

        @Test
        void orphanedAddressesStayOnTheirMachinesWhileTheClusterIsDeletedAndAfterwards() {
            Map<String, String> orphaned = Map.of(Tags.ORPHANED_FROM, "default/tenant/voip", Tags.ASSIGNED_INSTANCE, VOIP_MACHINE,
                    Tags.ASSIGNED_CLUSTER, "tenant/voip");
            AllocationPlan whileDeleting = plan(VOIP, List.of(address("eipalloc-1", VOIP_MACHINE, orphaned)),
                    machine(VOIP_MACHINE, "tenant/voip", InstanceState.RUNNING, true));
            AllocationPlan afterwards = plan(VOIP, List.of(address("eipalloc-1", VOIP_MACHINE, orphaned)));
            AllocationPlan aNewClusterOfTheSameName = plan(VOIP, List.of(address("eipalloc-1", VOIP_MACHINE, orphaned)),
                    machine(VOIP_MACHINE, "tenant/voip", InstanceState.RUNNING, false));
            for (AllocationPlan p : List.of(whileDeleting, afterwards, aNewClusterOfTheSameName)) {
                assertThat(p.disassociate()).isEmpty();
                assertThat(p.adopt()).isEmpty();
                assertThat(state(p, "eipalloc-1")).isEqualTo(AddressState.FOREIGN);
                assertThat(p.foreignHolders().get("eipalloc-1")).startsWith("claimed by cluster default/tenant/voip (orphaned)");
            }
        }

        @Test
        void anUnclaimedAddressOnOurServedMachineIsAdoptedAndAnUnclaimedFreeOneIsClaimedBeforeItIsGiven() {
            AllocationPlan plan = plan(VOIP, List.of(address("eipalloc-1", VOIP_MACHINE, Map.of(Tags.ASSIGNED_INSTANCE, VOIP_MACHINE)),
                            address("eipalloc-2", null, Map.of()), address("eipalloc-3", null, Map.of(Tags.CLAIMED_BY, VOIP.value()))),
                    machine(VOIP_MACHINE, "tenant/voip", InstanceState.RUNNING, false),
                    machine("i-voip2", "tenant/voip", InstanceState.RUNNING, false), machine("i-voip3", "tenant/voip", InstanceState.RUNNING, false));
            assertThat(plan.adopt()).containsExactly("eipalloc-1");
            assertThat(plan.associate()).extracting(AllocationPlan.Associate::allocationId).containsExactly("eipalloc-2", "eipalloc-3");
            assertThat(plan.claimFirst()).containsExactly("eipalloc-2");
        }
    }

    @Test
    void twoPoolsListingOneFreeAddressBothMayTryToClaimItButOnlyTheReadBackDecides() {
        Map<String, String> claimedByA = Map.of(Tags.CLAIMED_BY, "default/ns/a");
        PoolClaim a = new PoolClaim("default", "ns/a");
        PoolClaim b = new PoolClaim("default", "ns/b");
        ObservedAddress free = new ObservedAddress("eipalloc-1", "127.0.0.9", null, null, null, claimedByA);
        CandidateInstance waitingA = new CandidateInstance("i-a", "ns/ca", InstanceState.RUNNING, null, null, false);
        CandidateInstance waitingB = new CandidateInstance("i-b", "ns/cb", InstanceState.RUNNING, null, null, false);
        AllocationPlan forA = AddressAllocator.plan(PoolInputs.addresses(List.of(free), a), List.of(waitingA));
        AllocationPlan forB = AddressAllocator.plan(PoolInputs.addresses(List.of(free), b), List.of(waitingB));
        assertThat(forA.associate()).singleElement().extracting(AllocationPlan.Associate::instanceId).isEqualTo("i-a");
        assertThat(forA.claimFirst()).isEmpty();
        assertThat(forB.associate()).isEmpty();
        assertThat(forB.foreignHolders()).containsEntry("eipalloc-1", "claimed by pool default/ns/a, free");
        assertThat(forB.unserved()).containsKey("ns/cb");
        Set<String> both = Set.of(forA, forB).stream().flatMap(p -> p.disassociate().stream()).map(AllocationPlan.Disassociate::allocationId)
                .collect(Collectors.toSet());
        assertThat(both).isEmpty();
    }
}
