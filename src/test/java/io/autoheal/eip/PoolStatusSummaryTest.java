package io.autoheal.eip;

import static io.autoheal.eip.AllocatorWorld.free;
import static io.autoheal.eip.AllocatorWorld.freeAfter;
import static io.autoheal.eip.AllocatorWorld.in;
import static io.autoheal.eip.AllocatorWorld.on;
import static io.autoheal.eip.AllocatorWorld.onNonInstance;
import static io.autoheal.eip.AllocatorWorld.running;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoheal.api.v1alpha1.AddressAttention;
import io.autoheal.api.v1alpha1.ElasticIpPoolStatus;
import io.autoheal.api.v1alpha1.PoolClusterUsage;
import io.autoheal.eip.AllocationPlan.AddressState;
import io.autoheal.eip.AllocationPlan.AddressView;
import io.autoheal.eip.AllocationPlan.Associate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The pool's status from a plan ({@link PoolStatusSummary}): counts, cluster rows, the capped attention list, since. */
class PoolStatusSummaryTest {
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant T1 = T0.plusSeconds(90);

    static ElasticIpPoolStatus summary(AllocationPlan plan, Collection<Associate> refused, ElasticIpPoolStatus previous, Instant now) {
        ElasticIpPoolStatus status = new ElasticIpPoolStatus();
        PoolStatusSummary.fill(status, plan, refused, previous, now);
        return status;
    }

    static PoolClusterUsage usage(String name, int assigned, Integer releasing, Integer waiting, Integer awaitingRelease) {
        PoolClusterUsage u = new PoolClusterUsage();
        u.name = name;
        u.assigned = assigned;
        u.releasing = releasing;
        u.waiting = waiting;
        u.awaitingRelease = awaitingRelease;
        return u;
    }

    static String row(AddressAttention a) {
        return String.join(" ", a.allocationId, a.state, String.valueOf(a.reason), String.valueOf(a.cluster), String.valueOf(a.instanceId),
                a.since);
    }

    /** One address in each state, two clusters: every count and every row. */
    static final AllocatorWorld MIXED = new AllocatorWorld(List.of(
            on("eipalloc-01", "i-a1", "ns/a", "i-a1"),
            on("eipalloc-02", "i-a2", "ns/a", "i-a2"),
            on("eipalloc-03", "i-dead", "ns/a", "i-dead"), // its machine terminates: freed, and awaited by a1's replacement
            on("eipalloc-04", "i-left", "ns/b", "i-left"), // our tags put it on a machine no longer in the clusters: foreign
            on("eipalloc-05", "i-a1", "ns/a", "i-a1"), // a second address on i-a1 that we placed
            on("eipalloc-06", "i-stranger", null, null), // someone else's instance
            onNonInstance("eipalloc-07", null, null), // a NAT gateway
            free("eipalloc-08", null)),
            List.of(running("i-a1", "ns/a", 0), running("i-a2", "ns/a", 0), in("i-dead", "ns/a", InstanceState.TERMINATED, 0),
                    running("i-a3", "ns/a", 1), running("i-b1", "ns/b", 0), running("i-b2", "ns/b", 1), running("i-b3", "ns/b", 2)));

    @Test
    void countsClusterRowsAndTheAddressesThatNeedALook() {
        AllocationPlan plan = MIXED.plan();
        ElasticIpPoolStatus s = summary(plan, List.of(), new ElasticIpPoolStatus(), T0);

        assertThat(List.of(s.total, s.free, s.assigned, s.foreign, s.releasing, s.refused, s.waiting, s.awaitingRelease))
                .as("total, free, assigned (eipalloc-08 goes to i-b1), foreign, releasing, refused, waiting (i-b2, i-b3), awaitingRelease")
                .containsExactly(8, 0, 3, 3, 2, 0, 2, 1);
        assertThat(s.clusters).usingRecursiveFieldByFieldElementComparator()
                .containsExactly(usage("a", 2, 2, null, 1), usage("b", 1, null, 2, null));
        assertThat(s.clustersOmitted).isNull();
        assertThat(s.attention).extracting(PoolStatusSummaryTest::row).containsExactly(
                "eipalloc-03 Releasing InstanceTerminating ns/a i-dead 2025-01-01T00:00:00Z",
                "eipalloc-05 Releasing DuplicateOnInstance ns/a i-a1 2025-01-01T00:00:00Z",
                "eipalloc-04 Foreign null null i-left 2025-01-01T00:00:00Z",
                "eipalloc-06 Foreign null null i-stranger 2025-01-01T00:00:00Z",
                "eipalloc-07 Foreign null null null 2025-01-01T00:00:00Z");
        assertThat(s.attention).extracting(a -> a.publicIp).doesNotContainNull();
        assertThat(s.attentionOmitted).isNull();
    }

    @Test
    void aRefusedAssociationIsNeitherAssignedNorForgottenItsMachineStillWaits() {
        AllocatorWorld world = new AllocatorWorld(List.of(free("eipalloc-1", null), free("eipalloc-2", null)),
                List.of(running("i-a1", "ns/a", 0), running("i-a2", "ns/a", 1)));
        AllocationPlan plan = world.plan();
        Associate refused = plan.associate().get(1);

        ElasticIpPoolStatus s = summary(plan, List.of(refused), new ElasticIpPoolStatus(), T0);

        assertThat(List.of(s.total, s.free, s.assigned, s.refused, s.waiting)).containsExactly(2, 0, 1, 1, 1);
        assertThat(s.clusters).usingRecursiveFieldByFieldElementComparator().containsExactly(usage("a", 1, null, 1, null));
        assertThat(s.attention).extracting(PoolStatusSummaryTest::row)
                .containsExactly(refused.allocationId() + " AssociationRefused null ns/a " + refused.instanceId() + " 2025-01-01T00:00:00Z");
    }

    @Test
    void aRowKeepsItsSinceWhileStateAndInstanceStayAndStartsAgainWhenEitherChanges() {
        ElasticIpPoolStatus before = summary(MIXED.plan(), List.of(), new ElasticIpPoolStatus(), T0);
        // Next pass: the stranger moved eipalloc-06 to another instance of its own; eipalloc-07 still on the NAT gateway.
        List<PoolAddress> addresses = new ArrayList<>(MIXED.addresses());
        addresses.set(5, on("eipalloc-06", "i-stranger-2", null, null));
        ElasticIpPoolStatus after = summary(new AllocatorWorld(addresses, MIXED.candidates()).plan(), List.of(), before, T1);

        Map<String, String> since = new TreeMap<>();
        after.attention.forEach(a -> since.put(a.allocationId, a.since));
        assertThat(since).containsEntry("eipalloc-06", T1.toString()).containsEntry("eipalloc-07", T0.toString())
                .containsEntry("eipalloc-03", T0.toString());
    }

    @Test
    void theAttentionListHoldsFiftyRefusedFirstThenReleasingThenForeignAndCountsTheRest() {
        List<PoolAddress> addresses = new ArrayList<>();
        List<CandidateInstance> candidates = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            addresses.add(on(String.format("eipalloc-f%02d", i), "i-stranger-" + i, null, null));
        }
        for (int i = 0; i < 5; i++) {
            addresses.add(on(String.format("eipalloc-r%02d", i), "i-dead-" + i, "ns/a", "i-dead-" + i));
            candidates.add(in("i-dead-" + i, "ns/a", InstanceState.TERMINATED, 0));
        }
        addresses.add(free("eipalloc-z", null));
        candidates.add(running("i-new", "ns/b", 0));
        AllocationPlan plan = new AllocatorWorld(addresses, candidates).plan();

        ElasticIpPoolStatus s = summary(plan, plan.associate(), new ElasticIpPoolStatus(), T0);

        assertThat(s.attention).hasSize(ElasticIpPoolStatus.MAX_ATTENTION_ROWS);
        assertThat(s.attentionOmitted).isEqualTo(66 - 50);
        assertThat(s.attention.get(0).allocationId).isEqualTo("eipalloc-z");
        assertThat(s.attention.subList(1, 6)).extracting(a -> a.state).containsOnly("Releasing");
        assertThat(s.attention.subList(6, 50)).extracting(a -> a.allocationId)
                .containsExactlyElementsOf(addresses.subList(0, 44).stream().map(PoolAddress::allocationId).toList());
    }

    @Test
    void clusterRowsStopAtTheirByteBudgetAndCountTheRest() throws Exception {
        // 1,000 clusters whose names have the longest length Kubernetes allows (253): not all rows fit.
        Map<String, List<String>> unserved = new TreeMap<>();
        List<AddressView> views = new ArrayList<>();
        for (int c = 0; c < 1000; c++) {
            String cluster = "n".repeat(63) + "/" + String.format("%04d", c) + "c".repeat(249);
            unserved.put(cluster, List.of("i-w" + c));
            views.add(new AddressView(String.format("eipalloc-%05d", c), "198.51.100.1", AddressState.ASSIGNED, cluster, "i-" + c));
        }
        AllocationPlan plan = new AllocationPlan(List.of(), List.of(), views, unserved, Map.of());
        ElasticIpPoolStatus s = summary(plan, List.of(), new ElasticIpPoolStatus(), T0);

        assertThat(s.clusters.size() + s.clustersOmitted).isEqualTo(1000);
        assertThat(s.clustersOmitted).isPositive();
        assertThat(s.clusters.get(0).name).hasSize(253);
        assertThat(new ObjectMapper().writeValueAsBytes(s.clusters).length).isLessThanOrEqualTo(PoolStatusSummary.CLUSTER_ROWS_BUDGET_BYTES);
        assertThat(s.waiting).isEqualTo(1000);
    }

    @Test
    void aThousandClustersWithOrdinaryNamesAllGetTheirRow() {
        List<AddressView> views = new ArrayList<>();
        for (int c = 0; c < 1000; c++) {
            views.add(new AddressView(String.format("eipalloc-%05d", c), "198.51.100.1", AddressState.ASSIGNED,
                    "team-voip-prod/voip-" + String.format("%04d", c) + "-eu-west-1", "i-" + c));
        }
        ElasticIpPoolStatus s = summary(new AllocationPlan(List.of(), List.of(), views, Map.of(), Map.of()), List.of(),
                new ElasticIpPoolStatus(), T0);
        assertThat(s.clusters).hasSize(1000);
        assertThat(s.clustersOmitted).isNull();
    }

    @Test
    void theExhaustedMessageNamesTheFirstTenWaitingClustersAndCountsTheRest() {
        Map<String, Integer> waiting = new TreeMap<>();
        for (int c = 0; c < 25; c++) {
            waiting.put(String.format("ns/c%02d", c), 2);
        }
        assertThat(PoolReporter.waitingText(waiting)).startsWith("ns/c00: 2, ns/c01: 2").contains("ns/c09: 2")
                .doesNotContain("ns/c10").endsWith(" and 15 more cluster(s)");
        assertThat(PoolReporter.waitingText(Map.of("ns/a", 1))).isEqualTo("ns/a: 1");
    }

    @Test
    void predecessorsAddressCountsAsAwaitedNotWaiting() {
        AllocationPlan plan = new AllocatorWorld(List.of(on("eipalloc-1", "i-old", "ns/a", "i-old"), freeAfter("eipalloc-2", "ns/b", "i-x")),
                List.of(in("i-old", "ns/a", InstanceState.SHUTTING_DOWN, 0), running("i-new", "ns/a", 1))).plan();
        ElasticIpPoolStatus s = summary(plan, List.of(), new ElasticIpPoolStatus(), T0);
        assertThat(List.of(s.waiting, s.awaitingRelease, s.free)).containsExactly(0, 1, 1);
        assertThat(s.clusters).usingRecursiveFieldByFieldElementComparator().containsExactly(usage("a", 0, 1, null, 1));
    }
}
