package io.autoheal.health.probe;

import io.autoheal.api.v1alpha1.ProbeSpec;
import io.autoheal.cluster.healing.AppSignal;
import io.autoheal.cluster.healing.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The prober's memory, per cluster, machine and probe: what to probe (the clusters' probes and the machines their last
 * pass saw), when each probe is due, its counter, and the probes the address guard refused. No I/O, no clock of its own:
 * the prober feeds it results and the time. Thread-safe (probe answers arrive on event-loop threads).
 *
 * <p>A machine is probed from the first pass that finds it in service (cluster.InService) and as long as it stays in
 * the group and is not leaving — also once its probes made it Unhealthy, so that a recovery is seen.
 */
public final class ProbeBook {
    /**
     * A cluster whose passes stopped (invalid spec, region back-off, bad input) is not probed past this: its departed
     * machines' addresses (an Elastic IP moved on to another cluster) would be probed and judged. 6 resyncs at the 30 s
     * default, longer than the longest region back-off (60 s); the next pass starts its machines afresh.
     */
    public static final java.time.Duration UNSEEN_LIMIT = java.time.Duration.ofMinutes(3);
    private final java.time.Duration unseenLimit;

    public ProbeBook() {
        this(UNSEEN_LIMIT);
    }

    /** @param unseenLimit how long a cluster's machines stay probed without a pass ({@link #unseenLimit(java.time.Duration)}) */
    public ProbeBook(java.time.Duration unseenLimit) {
        this.unseenLimit = unseenLimit;
    }

    /**
     * {@link #UNSEEN_LIMIT}, or 3 resyncs if longer: with a longer resync (the Helm values suggest 5 minutes with an event
     * queue) a cluster at rest is passed over only every resync, and a fixed 3 minutes left its machines unprobed for
     * 2 of every 5 minutes, their counters and initial delays restarted each time.
     */
    public static java.time.Duration unseenLimit(java.time.Duration resync) {
        java.time.Duration threeResyncs = resync.multipliedBy(3);
        return threeResyncs.compareTo(UNSEEN_LIMIT) > 0 ? threeResyncs : UNSEEN_LIMIT;
    }


    /** One group member as a pass saw it. */
    public record Seen(String instanceId, String zone, String privateIp, String publicIp, String elasticIp, boolean inService,
                       boolean leaving) {
    }

    /** One probe to send now. */
    public record Task(String cluster, String instanceId, ProbeSpec probe, String address) {
    }

    /** What one result changed: the machine became conclusively failing, or passes again; tracked: the probe is still ours. */
    public record Change(boolean tracked, boolean nowFailing, boolean cleared) {
        static final Change GONE = new Change(false, false, false);
    }

    private static final class Slot {
        ProbeCounter counter = ProbeCounter.FRESH;
        Instant due;
        boolean inFlight;
    }

    private static final class Tracked {
        String zone;
        String privateIp;
        String publicIp;
        String elasticIp;
        Instant inServiceSince;
        final Map<String, Slot> slots = new HashMap<>();
    }

    private static final class Cluster {
        List<ProbeSpec> probes = List.of();
        Instant lastSeen;
        final Map<String, Tracked> machines = new LinkedHashMap<>();
        final Map<String, String> refusals = new TreeMap<>(); // "<instance>/<probe>" -> why
    }

    private final Map<String, Cluster> clusters = new HashMap<>();
    private Set<String> inconclusive = Set.of();
    private boolean zonesStale;

    /** After a pass of {@code cluster}: its probes and its members. A cluster without probes is forgotten. */
    public synchronized void seen(String cluster, List<ProbeSpec> probes, List<Seen> machines, Instant now) {
        if (probes == null || probes.isEmpty()) {
            forget(cluster);
            return;
        }
        Cluster c = clusters.computeIfAbsent(cluster, k -> new Cluster());
        c.probes = List.copyOf(probes);
        c.lastSeen = now;
        Set<String> kept = new HashSet<>();
        for (Seen s : machines) {
            Tracked t = c.machines.get(s.instanceId());
            if (s.leaving() || (t == null && !s.inService())) {
                continue;
            }
            if (t == null) {
                t = new Tracked();
                t.inServiceSince = now;
                c.machines.put(s.instanceId(), t);
            }
            t.zone = s.zone();
            t.privateIp = s.privateIp();
            t.publicIp = s.publicIp();
            t.elasticIp = s.elasticIp();
            kept.add(s.instanceId());
        }
        c.machines.keySet().retainAll(kept);
        Set<String> names = new HashSet<>();
        probes.forEach(p -> names.add(p.name));
        c.machines.values().forEach(t -> t.slots.keySet().retainAll(names));
        c.refusals.keySet().removeIf(k -> !kept.contains(k.substring(0, k.indexOf('/'))) || !names.contains(k.substring(k.indexOf('/') + 1)));
        zonesStale = true;
    }

    public synchronized void forget(String cluster) {
        if (clusters.remove(cluster) != null) {
            zonesStale = true;
        }
    }

    /** The probes due at {@code now}, each marked in flight (not handed out again before its answer) and rescheduled. */
    public synchronized List<Task> due(Instant now) {
        List<Task> out = new ArrayList<>();
        clusters.values().forEach(c -> {
            if (!c.machines.isEmpty() && c.lastSeen.plus(unseenLimit).isBefore(now)) {
                c.machines.clear(); // not seen for too long: what it holds may no longer be its
                c.refusals.clear();
                zonesStale = true;
            }
        });
        clusters.forEach((key, c) -> c.machines.forEach((id, t) -> {
            for (ProbeSpec p : c.probes) {
                Slot slot = t.slots.computeIfAbsent(p.name, n -> new Slot());
                if (slot.due == null) {
                    slot.due = ProbeSchedule.first(t.inServiceSince, p.initialDelaySeconds, p.periodSeconds, key + "/" + id + "/" + n(p));
                }
                if (slot.inFlight || slot.due.isAfter(now)) {
                    continue;
                }
                slot.inFlight = true;
                slot.due = ProbeSchedule.next(slot.due, p.periodSeconds, now);
                out.add(new Task(key, id, p, address(t, p.address)));
            }
        }));
        return out;
    }

    /** A probe's answer; {@code error} null for a success. */
    public synchronized Change record(Task task, String error, Instant now) {
        Cluster c = clusters.get(task.cluster());
        Slot slot = slot(c, task);
        if (slot == null) {
            return Change.GONE; // the machine or the probe went meanwhile
        }
        slot.inFlight = false;
        c.refusals.remove(task.instanceId() + "/" + task.probe().name);
        boolean before = failing(c.machines.get(task.instanceId()));
        slot.counter = slot.counter.after(error, task.probe().failureThreshold, task.probe().successThreshold, now);
        boolean after = failing(c.machines.get(task.instanceId()));
        zonesStale = true;
        return new Change(true, !before && after, before && !after);
    }

    /** The guard refused to send this probe: reported on the cluster, never counted against the machine. */
    public synchronized void refused(Task task, String why) {
        Cluster c = clusters.get(task.cluster());
        Slot slot = slot(c, task);
        if (slot != null) {
            slot.inFlight = false;
            c.refusals.put(task.instanceId() + "/" + task.probe().name, "probe " + task.probe().name + " to " + task.instanceId() + ": " + why);
        }
    }

    /** Members with a probe failing but not yet failureThreshold times in a row (outside inconclusive zones). */
    public synchronized Set<String> suspects(String cluster, Collection<String> members) {
        Cluster c = clusters.get(cluster);
        if (c == null) {
            return Set.of();
        }
        Set<String> out = new java.util.TreeSet<>();
        for (String id : members) {
            Tracked t = c.machines.get(id);
            if (t != null && !inconclusive.contains(zone(t))
                    && t.slots.values().stream().anyMatch(s -> !s.counter.failing() && s.counter.failures() > 0)) {
                out.add(id);
            }
        }
        return out;
    }

    /** Conclusive probe failures of these members, none in a zone whose probe evidence is inconclusive. */
    public synchronized Map<String, List<AppSignal>> failing(String cluster, Collection<String> members) {
        Cluster c = clusters.get(cluster);
        if (c == null) {
            return Map.of();
        }
        Set<String> doubtful = inconclusive; // as last computed (the prober refreshes it every second)
        Map<String, List<AppSignal>> out = new HashMap<>();
        for (String id : members) {
            Tracked t = c.machines.get(id);
            if (t == null || doubtful.contains(zone(t))) {
                continue;
            }
            for (ProbeSpec p : c.probes) {
                Slot s = t.slots.get(p.name);
                if (s != null && s.counter.failing()) {
                    out.computeIfAbsent(id, k -> new ArrayList<>())
                            .add(new AppSignal(Verdict.Reason.ProbeFailed, p.name, s.counter.lastError(), s.counter.failingSince()));
                }
            }
        }
        return out;
    }

    /**
     * Zones (of every cluster probed) whose probe failures are blamed on the vantage point, recomputed when results came
     * in since (O(machines): the prober asks once a second). A machine counts as failing from its first failed probe,
     * not only past its threshold: a vantage point cut off is seen before any machine's failures become conclusive.
     */
    public synchronized Set<String> inconclusiveZones() {
        if (zonesStale) {
            List<VantagePoint.Probed> probed = new ArrayList<>();
            clusters.forEach((key, c) -> c.machines.values().forEach(t -> {
                if (t.slots.values().stream().anyMatch(s -> s.counter.probed())) {
                    probed.add(new VantagePoint.Probed(zone(t), key, lastFailed(t)));
                }
            }));
            Set<String> now = VantagePoint.inconclusiveZones(probed);
            Set<String> cleared = new HashSet<>(inconclusive);
            cleared.removeAll(now);
            if (!cleared.isEmpty()) {
                forgetResults(cleared);
            }
            inconclusive = now;
            zonesStale = false;
        }
        return inconclusive;
    }

    /** Zones with at least one probed machine (of any cluster): the zones the vantage-point gauge reports on. */
    public synchronized Set<String> probedZones() {
        Set<String> out = new java.util.TreeSet<>();
        clusters.values().forEach(c -> c.machines.values().forEach(t -> {
            if (t.slots.values().stream().anyMatch(s -> s.counter.probed())) {
                out.add(zone(t));
            }
        }));
        return out;
    }

    /**
     * A zone's doubt cleared: the results gathered during it are not evidence either. Recovery is staggered (jitter), so
     * when the zone clears some machines of another cluster may still carry failing counters from the outage; counted at
     * once they would be replaced within maxUnhealthy. Every machine of the zone starts afresh: it must fail
     * failureThreshold times again after the clear to count.
     */
    private void forgetResults(Set<String> zones) {
        clusters.values().forEach(c -> c.machines.values().forEach(t -> {
            if (zones.contains(zone(t))) {
                t.slots.values().forEach(s -> s.counter = ProbeCounter.FRESH);
            }
        }));
    }

    /** The inconclusive zones this cluster has probed machines in. */
    public synchronized Set<String> inconclusiveZones(String cluster) {
        Cluster c = clusters.get(cluster);
        Set<String> all = inconclusiveZones();
        Set<String> out = new java.util.TreeSet<>();
        if (c != null) {
            c.machines.values().forEach(t -> {
                if (all.contains(zone(t))) {
                    out.add(zone(t));
                }
            });
        }
        return out;
    }

    /** Why probes of this cluster were refused (sorted, one per machine and probe). */
    public synchronized List<String> refusals(String cluster) {
        Cluster c = clusters.get(cluster);
        return c == null ? List.of() : List.copyOf(c.refusals.values());
    }

    /** Per probe name, how many of the cluster's machines it is conclusively failing on (every listed probe, 0 included). */
    public synchronized Map<String, Integer> failingPerProbe(String cluster) {
        Cluster c = clusters.get(cluster);
        Map<String, Integer> out = new TreeMap<>();
        if (c != null) {
            c.probes.forEach(p -> out.put(p.name, 0));
            c.machines.values().forEach(t -> t.slots.forEach((name, s) -> {
                if (s.counter.failing()) {
                    out.merge(name, 1, Integer::sum);
                }
            }));
        }
        return out;
    }

    /** The counter of one machine's probe (for tests and status). */
    public synchronized ProbeCounter counter(String cluster, String instanceId, String probe) {
        Cluster c = clusters.get(cluster);
        Tracked t = c == null ? null : c.machines.get(instanceId);
        Slot s = t == null ? null : t.slots.get(probe);
        return s == null ? null : s.counter;
    }

    public synchronized List<String> clusters() {
        return List.copyOf(clusters.keySet());
    }

    public synchronized int machines() {
        return clusters.values().stream().mapToInt(c -> c.machines.size()).sum();
    }

    private static Slot slot(Cluster c, Task task) {
        Tracked t = c == null ? null : c.machines.get(task.instanceId());
        return t == null ? null : t.slots.get(task.probe().name);
    }

    private static boolean failing(Tracked t) {
        return t != null && t.slots.values().stream().anyMatch(s -> s.counter.failing());
    }

    /** Its latest result of some probe is a failure, or a probe is still failing. */
    private static boolean lastFailed(Tracked t) {
        return t.slots.values().stream().anyMatch(s -> s.counter.failures() > 0 || s.counter.failing());
    }

    private static String zone(Tracked t) {
        return t.zone == null ? "" : t.zone;
    }

    private static String n(ProbeSpec p) {
        return p.name;
    }

    private static String address(Tracked t, ProbeSpec.ProbeAddress which) {
        return switch (which == null ? ProbeSpec.ProbeAddress.PrivateIp : which) {
            case PrivateIp -> t.privateIp;
            case PublicIp -> t.publicIp;
            case ElasticIp -> t.elasticIp;
        };
    }
}
