package io.autoheal.eip;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Pure allocation of a pool's Elastic IPs to the instances of the clusters that use it. No I/O: the pool
 * reconciler observes, calls {@link #plan}, then executes the actions (AssociateAddress with
 * AllowReassociation=false, DisassociateAddress) and plans again on the next pass.
 *
 * <p>Rules, in order:
 * <ol>
 * <li>An address on an alive instance of the pool's clusters stays there (public identity is stable).</li>
 * <li>An address on anything else is foreign and never touched — unless our own tags prove that we put it
 *     on an instance that has since left the pool's clusters, in which case it is freed.</li>
 * <li>An address is freed only when its instance is shutting down or terminated, or has left the clusters, or
 *     is a second address we put on one machine (a race between two deciders; the lowest allocation id stays).
 *     Addresses freed in a plan are not reused in the same plan: the next pass, after AWS confirms, reuses them.</li>
 * <li>Stable identity: a free address that a cluster's machine held before goes back to that cluster's
 *     waiting machines first (a replacement takes its predecessor's public IP), whatever the fairness below.</li>
 * <li>The other free addresses — never-used ones first, then ones other clusters held before, by allocation id —
 *     are shared by water-filling: the next one goes to the cluster that holds the fewest (ties by cluster
 *     name); within a cluster the machine waiting longest (launch time, then id) is served first.</li>
 * </ol>
 * An instance with a pool address never gets a second; an address is never given to two instances.
 */
public final class AddressAllocator {
    private AddressAllocator() {
    }

    public static AllocationPlan plan(List<PoolAddress> addresses, List<Candidate> candidates) {
        Map<String, Candidate> byId = new HashMap<>();
        candidates.forEach(c -> byId.put(c.instanceId(), c));
        List<PoolAddress> sorted = addresses.stream().sorted(Comparator.comparing(PoolAddress::allocationId)).toList();

        List<AllocationPlan.Disassociate> disassociate = new ArrayList<>();
        List<AllocationPlan.AddressView> views = new ArrayList<>();
        List<PoolAddress> free = new ArrayList<>();
        Set<String> served = new HashSet<>();
        Map<String, Integer> held = new TreeMap<>();
        int foreign = 0;
        for (PoolAddress a : sorted) {
            if (a.associationId() == null) {
                free.add(a);
                continue;
            }
            Candidate holder = a.instanceId() == null ? null : byId.get(a.instanceId());
            if (holder != null && holder.state().alive() && served.contains(holder.instanceId())
                    && holder.instanceId().equals(a.lastInstance())) {
                // Two deciders raced (e.g. two replicas without leader election) and both gave this machine an
                // address. Keep the first (lowest allocation id), free the extra one we put there.
                disassociate.add(new AllocationPlan.Disassociate(a.allocationId(), a.associationId(), a.instanceId(),
                        AllocationPlan.FreeReason.DUPLICATE_ON_INSTANCE));
                views.add(view(a, AllocationPlan.AddressState.RELEASING, holder.cluster(), holder.instanceId()));
            } else if (holder != null && holder.state().alive()) {
                served.add(holder.instanceId());
                held.merge(holder.cluster(), 1, Integer::sum);
                views.add(view(a, AllocationPlan.AddressState.ASSIGNED, holder.cluster(), holder.instanceId()));
            } else if (holder != null) {
                disassociate.add(new AllocationPlan.Disassociate(a.allocationId(), a.associationId(), a.instanceId(),
                        AllocationPlan.FreeReason.INSTANCE_TERMINATING));
                views.add(view(a, AllocationPlan.AddressState.RELEASING, holder.cluster(), holder.instanceId()));
            } else if (a.instanceId() != null && a.instanceId().equals(a.lastInstance())) {
                disassociate.add(new AllocationPlan.Disassociate(a.allocationId(), a.associationId(), a.instanceId(),
                        AllocationPlan.FreeReason.INSTANCE_LEFT_CLUSTER));
                views.add(view(a, AllocationPlan.AddressState.RELEASING, a.lastCluster(), a.instanceId()));
            } else {
                foreign++;
                views.add(view(a, AllocationPlan.AddressState.FOREIGN, null, a.instanceId()));
            }
        }

        Map<String, List<Candidate>> waiting = new TreeMap<>();
        candidates.stream()
                .filter(c -> c.state() == InstanceState.RUNNING && !served.contains(c.instanceId()))
                .sorted(Comparator.comparing(Candidate::launchTime, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(Candidate::instanceId))
                .forEach(c -> waiting.computeIfAbsent(c.cluster(), k -> new ArrayList<>()).add(c));
        waiting.keySet().forEach(cluster -> held.putIfAbsent(cluster, 0));

        List<AllocationPlan.Associate> associate = new ArrayList<>();
        TreeSet<String> freeIds = new TreeSet<>();
        free.forEach(a -> freeIds.add(a.allocationId()));
        Map<String, PoolAddress> freeById = new HashMap<>();
        free.forEach(a -> freeById.put(a.allocationId(), a));
        // Stable identity first: a cluster's former addresses go back to its waiting machines.
        for (Map.Entry<String, List<Candidate>> e : waiting.entrySet()) {
            String cluster = e.getKey();
            for (String id : List.copyOf(freeIds)) {
                if (e.getValue().isEmpty()) {
                    break;
                }
                if (cluster.equals(freeById.get(id).lastCluster())) {
                    give(freeById.get(id), e.getValue().remove(0), cluster, AllocationPlan.AssignReason.PREDECESSOR_ADDRESS,
                            freeIds, held, associate, views);
                }
            }
        }
        // Then fairness for the rest: water-filling, never-used addresses before other clusters' former ones.
        while (!freeIds.isEmpty()) {
            String cluster = neediest(waiting, held);
            if (cluster == null) {
                break;
            }
            give(pick(freeIds, freeById), waiting.get(cluster).remove(0), cluster, AllocationPlan.AssignReason.FREE_ADDRESS,
                    freeIds, held, associate, views);
        }
        for (String id : freeIds) {
            PoolAddress a = freeById.get(id);
            views.add(view(a, AllocationPlan.AddressState.FREE, a.lastCluster(), null));
        }
        Map<String, Integer> unserved = new TreeMap<>();
        waiting.forEach((cluster, list) -> {
            if (!list.isEmpty()) {
                unserved.put(cluster, list.size());
            }
        });
        views.sort(Comparator.comparing(AllocationPlan.AddressView::allocationId));
        return new AllocationPlan(associate, disassociate, views, unserved, foreign);
    }

    /** The cluster that holds the fewest addresses among those with waiting instances; ties by name. */
    private static String neediest(Map<String, List<Candidate>> waiting, Map<String, Integer> held) {
        String best = null;
        for (Map.Entry<String, List<Candidate>> e : waiting.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            if (best == null || held.get(e.getKey()) < held.get(best)) {
                best = e.getKey();
            }
        }
        return best;
    }

    private static PoolAddress pick(TreeSet<String> freeIds, Map<String, PoolAddress> freeById) {
        return freeIds.stream().map(freeById::get).filter(a -> a.lastCluster() == null).findFirst()
                .orElse(freeById.get(freeIds.first()));
    }

    private static void give(PoolAddress address, Candidate instance, String cluster, AllocationPlan.AssignReason reason,
                             TreeSet<String> freeIds, Map<String, Integer> held, List<AllocationPlan.Associate> associate,
                             List<AllocationPlan.AddressView> views) {
        freeIds.remove(address.allocationId());
        held.merge(cluster, 1, Integer::sum);
        associate.add(new AllocationPlan.Associate(address.allocationId(), instance.instanceId(), cluster, reason));
        views.add(view(address, AllocationPlan.AddressState.ASSIGNED, cluster, instance.instanceId()));
    }

    private static AllocationPlan.AddressView view(PoolAddress a, AllocationPlan.AddressState state, String cluster, String instanceId) {
        return new AllocationPlan.AddressView(a.allocationId(), a.publicIp(), state, cluster, instanceId);
    }

    /** An address of the pool as AWS reports it, with the assignment tags the operator wrote on it. */
    public record PoolAddress(String allocationId, String publicIp, String instanceId, String associationId,
                              String lastCluster, String lastInstance) {
    }

    /** An instance of one of the pool's clusters ({@code cluster} is {@code <namespace>/<name>}). */
    public record Candidate(String instanceId, String cluster, InstanceState state, Instant launchTime) {
    }

    /** EC2 instance states that matter here. Only running instances can be given an address. */
    public enum InstanceState {
        PENDING, RUNNING, STOPPING, STOPPED, SHUTTING_DOWN, TERMINATED;

        public boolean alive() {
            return this != SHUTTING_DOWN && this != TERMINATED;
        }

        public static InstanceState of(String ec2State) {
            return switch (ec2State == null ? "" : ec2State) {
                case "pending" -> PENDING;
                case "running" -> RUNNING;
                case "stopping" -> STOPPING;
                case "stopped" -> STOPPED;
                case "shutting-down" -> SHUTTING_DOWN;
                default -> TERMINATED;
            };
        }
    }
}
