package io.autoheal.eip;

import io.autoheal.api.v1alpha1.AddressAttention;
import io.autoheal.api.v1alpha1.ElasticIpPoolStatus;
import io.autoheal.api.v1alpha1.PoolClusterUsage;
import io.autoheal.eip.AllocationPlan.AddressState;
import io.autoheal.eip.AllocationPlan.AddressView;
import io.autoheal.eip.AllocationPlan.Associate;
import io.autoheal.eip.AllocationPlan.Disassociate;
import io.autoheal.eip.AllocationPlan.FreeReason;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Pure: the pool's status numbers and rows from a plan, in O(n log n) and of bounded size whatever the pool's size —
 * counts, one row per cluster, and at most {@link ElasticIpPoolStatus#MAX_ATTENTION_ROWS} addresses that need a look.
 * A row keeps its {@code since} from the previous status (looked up by allocation id) while its state and instance
 * stay the same.
 */
final class PoolStatusSummary {
    /** The cluster rows stop before their JSON would pass this (names can be up to 253 characters). */
    static final int CLUSTER_ROWS_BUDGET_BYTES = 160 * 1024;
    /** A row's JSON without its name, with every count present and six digits each. */
    private static final int CLUSTER_ROW_OVERHEAD_BYTES = 100;
    private static final List<String> ATTENTION_ORDER = List.of("AssociationRefused", "Releasing", "Foreign");

    private PoolStatusSummary() {
    }

    /**
     * @param refused associations of this plan that AWS refused (the address was taken meanwhile)
     */
    static void fill(ElasticIpPoolStatus status, AllocationPlan plan, Collection<Associate> refused, ElasticIpPoolStatus previous,
                     Instant now) {
        Map<String, Associate> refusedById = refused.stream().collect(Collectors.toMap(Associate::allocationId, Function.identity(), (a, b) -> a));
        Map<String, FreeReason> freeReasons = plan.disassociate().stream()
                .collect(Collectors.toMap(Disassociate::allocationId, Disassociate::reason, (a, b) -> a));
        Map<String, Tally> byCluster = new HashMap<>();
        List<AddressAttention> attention = new ArrayList<>();
        int free = 0;
        int assigned = 0;
        int foreign = 0;
        int releasing = 0;
        int refusedCount = 0;
        for (AddressView v : plan.addresses()) {
            Associate taken = refusedById.get(v.allocationId());
            if (taken != null && v.state() == AddressState.ASSIGNED) {
                refusedCount++;
                tally(byCluster, taken.cluster()).waiting++;
                attention.add(row(v, "AssociationRefused", null, taken.cluster(), taken.instanceId()));
                continue;
            }
            switch (v.state()) {
                case FREE -> free++;
                case ASSIGNED -> {
                    assigned++;
                    tally(byCluster, v.cluster()).assigned++;
                }
                case FOREIGN -> {
                    foreign++;
                    AddressAttention row = row(v, "Foreign", null, null, v.instanceId());
                    row.holder = plan.foreignHolders().get(v.allocationId());
                    attention.add(row);
                }
                case RELEASING -> {
                    releasing++;
                    FreeReason reason = freeReasons.get(v.allocationId());
                    tally(byCluster, v.cluster()).releasing++; // the holder is a machine of v.cluster()
                    attention.add(row(v, "Releasing", reason == null ? null : reasonName(reason), v.cluster(), v.instanceId()));
                }
            }
        }
        plan.unserved().forEach((cluster, ids) -> tally(byCluster, cluster).waiting += ids.size());
        plan.awaitingRelease().forEach((cluster, ids) -> tally(byCluster, cluster).awaitingRelease += ids.size());

        status.total = plan.addresses().size();
        status.free = free;
        status.assigned = assigned;
        status.foreign = foreign;
        status.releasing = releasing;
        status.refused = refusedCount;
        status.waiting = plan.waiting() + refusedCount;
        status.awaitingRelease = plan.awaitingRelease().values().stream().mapToInt(List::size).sum();
        clusters(status, byCluster);
        attention(status, attention, previous, now);
    }

    private static void clusters(ElasticIpPoolStatus status, Map<String, Tally> byCluster) {
        status.clusters = new ArrayList<>();
        int budget = CLUSTER_ROWS_BUDGET_BYTES;
        int omitted = 0;
        for (Map.Entry<String, Tally> e : new TreeMap<>(byCluster).entrySet()) {
            String name = e.getKey().substring(e.getKey().indexOf('/') + 1); // the pool's clusters are in its namespace
            budget -= name.length() + CLUSTER_ROW_OVERHEAD_BYTES;
            if (status.clusters.size() >= ElasticIpPoolStatus.MAX_CLUSTER_ROWS || budget < 0) {
                omitted++;
                continue;
            }
            Tally t = e.getValue();
            PoolClusterUsage row = new PoolClusterUsage();
            row.name = name;
            row.assigned = t.assigned;
            row.releasing = nonZero(t.releasing);
            row.waiting = nonZero(t.waiting);
            row.awaitingRelease = nonZero(t.awaitingRelease);
            status.clusters.add(row);
        }
        status.clustersOmitted = nonZero(omitted);
    }

    private static void attention(ElasticIpPoolStatus status, List<AddressAttention> rows, ElasticIpPoolStatus previous, Instant now) {
        Map<String, AddressAttention> before = previous == null || previous.attention == null ? Map.of()
                : previous.attention.stream().collect(Collectors.toMap(a -> a.allocationId, Function.identity(), (a, b) -> a));
        String nowText = now.truncatedTo(ChronoUnit.SECONDS).toString();
        rows.sort(Comparator.comparingInt((AddressAttention a) -> ATTENTION_ORDER.indexOf(a.state)).thenComparing(a -> a.allocationId));
        List<AddressAttention> shown = new ArrayList<>(rows.subList(0, Math.min(rows.size(), ElasticIpPoolStatus.MAX_ATTENTION_ROWS)));
        for (AddressAttention a : shown) {
            AddressAttention p = before.get(a.allocationId);
            boolean same = p != null && a.state.equals(p.state) && Objects.equals(a.instanceId, p.instanceId) && p.since != null;
            a.since = same ? p.since : nowText;
        }
        status.attention = shown;
        status.attentionOmitted = nonZero(rows.size() - shown.size());
    }

    private static AddressAttention row(AddressView v, String state, String reason, String cluster, String instanceId) {
        AddressAttention a = new AddressAttention();
        a.allocationId = v.allocationId();
        a.publicIp = v.publicIp();
        a.state = state;
        a.reason = reason;
        a.cluster = cluster;
        a.instanceId = instanceId;
        return a;
    }

    /** INSTANCE_TERMINATING → InstanceTerminating. */
    static String reasonName(FreeReason reason) {
        StringBuilder out = new StringBuilder();
        for (String word : reason.name().toLowerCase().split("_")) {
            out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return out.toString();
    }

    private static Integer nonZero(int n) {
        return n == 0 ? null : n;
    }

    private static Tally tally(Map<String, Tally> byCluster, String cluster) {
        return byCluster.computeIfAbsent(cluster, c -> new Tally());
    }

    /** Per-cluster counters while the plan is read. */
    private static final class Tally {
        int assigned;
        int releasing;
        int waiting;
        int awaitingRelease;
    }
}
