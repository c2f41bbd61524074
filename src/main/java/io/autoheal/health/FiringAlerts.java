package io.autoheal.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The alerts that fire now, per machine, as Alertmanager's webhook told them: what {@link AlertHealthSource} judges
 * from. Pure (time is passed in) and bounded: it keeps only alerts for machines a cluster pass named as members of a
 * cluster that lists the alert's name ({@link #members}), and at most {@value #MAX_ALERTS} of them.
 *
 * <p>An alert stops firing when it is resolved, when its endsAt (if Alertmanager gave one) passes, or when Alertmanager
 * has not re-sent it for {@code ttl}: Alertmanager hides the end of a firing alert and re-sends it every
 * repeat_interval, so silence longer than the ttl means it was lost (e.g. resolved while this replica was down).
 */
public final class FiringAlerts {
    public static final int MAX_ALERTS = 10_000;
    private final Duration ttl;
    /** instance id -> alert name -> what fires. */
    private final Map<String, Map<String, Firing>> byInstance = new HashMap<>();
    /** cluster key -> (members, the alert names the cluster lists), as its last pass saw them. */
    private final Map<String, Membership> clusters = new HashMap<>();
    private final Map<String, String> clusterOfInstance = new HashMap<>();
    private int size;

    /**
     * One firing alert of one machine. @param since its startsAt; @param expires when it is forgotten without a re-send;
     * @param received when Alertmanager last sent it (firing)
     */
    public record Firing(String name, Instant since, String summary, Instant expires, Instant received) {
    }

    private record Membership(Set<String> members, Set<String> alerts) {
    }

    public FiringAlerts(Duration ttl) {
        this.ttl = ttl;
    }

    /** What a cluster pass saw: its members and the alert names it lists. Machines no longer members are forgotten. */
    public synchronized void members(String clusterKey, Collection<String> members, Collection<String> alertNames) {
        Membership before = clusters.put(clusterKey, new Membership(Set.copyOf(members), Set.copyOf(alertNames)));
        if (before != null) {
            for (String gone : before.members()) {
                if (!members.contains(gone) && clusterKey.equals(clusterOfInstance.get(gone))) {
                    clusterOfInstance.remove(gone);
                    forget(gone);
                }
            }
        }
        members.forEach(m -> clusterOfInstance.put(m, clusterKey));
        // A name the cluster no longer lists no longer counts: drop what fires under it.
        for (String m : members) {
            Map<String, Firing> f = byInstance.get(m);
            if (f != null) {
                size -= f.size();
                f.keySet().retainAll(alertNames);
                size += f.size();
                if (f.isEmpty()) {
                    byInstance.remove(m);
                }
            }
        }
    }

    /** The cluster is gone: its machines' alerts and its membership are dropped. */
    public synchronized void forgetCluster(String clusterKey) {
        members(clusterKey, java.util.List.of(), java.util.List.of());
        clusters.remove(clusterKey);
    }

    /**
     * Takes one webhook notification.
     *
     * @return the cluster keys whose machines started or stopped firing (their passes should run now)
     */
    public synchronized Set<String> receive(AlertmanagerPayload payload, Instant now) {
        Set<String> changed = new HashSet<>();
        for (AlertmanagerPayload.Alert a : payload.alerts()) {
            String id = a.instanceId();
            String name = a.name();
            String cluster = id == null ? null : clusterOfInstance.get(id);
            if (cluster == null || name == null || !clusters.get(cluster).alerts().contains(name)) {
                continue; // not a machine of ours, or not an alert its cluster heals on: nothing kept
            }
            boolean ended = !a.firing() || (a.endKnown() && !a.endsAt().isAfter(now));
            Map<String, Firing> firing = byInstance.get(id);
            if (ended) {
                if (firing != null && firing.remove(name) != null) {
                    size--;
                    changed.add(cluster);
                    if (firing.isEmpty()) {
                        byInstance.remove(id);
                    }
                }
                continue;
            }
            Instant expires = now.plus(ttl);
            if (a.endKnown() && a.endsAt().isBefore(expires)) {
                expires = a.endsAt();
            }
            Firing before = firing == null ? null : firing.get(name);
            if (before == null && size >= MAX_ALERTS) {
                continue; // full: the next re-send may find room
            }
            Instant since = before != null ? before.since() : a.startsAt() != null && a.startsAt().isAfter(Instant.EPOCH) ? a.startsAt() : now;
            byInstance.computeIfAbsent(id, k -> new HashMap<>()).put(name, new Firing(name, since, summary(a), expires, now));
            if (before == null) {
                size++;
                changed.add(cluster);
            }
        }
        return changed;
    }

    /** What fires now for one machine, oldest first; expired alerts are dropped on the way. */
    public synchronized List<Firing> firing(String instanceId, Instant now) {
        Map<String, Firing> f = byInstance.get(instanceId);
        if (f == null) {
            return List.of();
        }
        int before = f.size();
        f.values().removeIf(x -> !x.expires().isAfter(now));
        size -= before - f.size();
        if (f.isEmpty()) {
            byInstance.remove(instanceId);
            return List.of();
        }
        List<Firing> out = new ArrayList<>(f.values());
        out.sort(java.util.Comparator.comparing(Firing::since).thenComparing(Firing::name));
        return out;
    }

    public synchronized int size() {
        return size;
    }

    private void forget(String instanceId) {
        Map<String, Firing> f = byInstance.remove(instanceId);
        if (f != null) {
            size -= f.size();
        }
    }

    /** The alert's summary annotation (else its fingerprint), short and single-line: shown in the machine's row. */
    private static String summary(AlertmanagerPayload.Alert a) {
        String s = a.annotations().getOrDefault("summary", a.fingerprint() == null ? "" : "fingerprint " + a.fingerprint());
        s = s.replaceAll("[\\r\\n\\t]+", " ").strip();
        return s.length() > 200 ? s.substring(0, 200) : s;
    }
}
