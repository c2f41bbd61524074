package io.autoheal.health.probe;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.InstanceHealth;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.api.v1alpha1.ProbeSpec;
import io.autoheal.cluster.InService;
import io.autoheal.cluster.healing.AppSignal;
import io.autoheal.config.Leadership;
import io.autoheal.fleet.ClusterObservation;
import io.autoheal.fleet.ObservedInstance;
import io.autoheal.health.HealthSignalSource;
import io.autoheal.health.HealthWatch;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.kube.Reason;
import io.autoheal.metrics.ProbeMetrics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Application probes (spec.health.probes): what to probe comes from the clusters' passes ({@link #seen}), the probes go
 * out on {@link #tick} (the leader only; the scheduler calls it every 100 ms) through the {@link ProbeConnector} after
 * the {@link ProbeAddressGuard} allowed their address, and passes ask {@link #failing} — from memory, at once. A machine
 * that becomes conclusively failing (or passes again) wakes its cluster, so healing does not wait for the resync.
 */
public class Prober implements HealthSignalSource, HealthWatch {
    private final ProbeBook book;
    private final ProbeConnector connector;
    private final ProbeAddressGuard guard;
    private final Consumer<String> wake;
    private final ProbeMetrics metrics;
    private final Clock clock;
    private final Set<String> zonesReported = new HashSet<>();
    private Instant lastVantageCheck;
    private Set<String> lastZones = Set.of();

    /** @param wake wakes one cluster by its key ({@code <namespace>/<name>}) */
    public Prober(ProbeConnector connector, ProbeAddressGuard guard, Consumer<String> wake, ProbeMetrics metrics, Clock clock) {
        this(connector, guard, wake, metrics, clock, ProbeBook.UNSEEN_LIMIT);
    }

    /** @param unseenLimit how long a cluster's machines stay probed without a pass ({@link ProbeBook#unseenLimit}) */
    public Prober(ProbeConnector connector, ProbeAddressGuard guard, Consumer<String> wake, ProbeMetrics metrics, Clock clock,
                  java.time.Duration unseenLimit) {
        this.book = new ProbeBook(unseenLimit);
        this.connector = connector;
        this.guard = guard;
        this.wake = wake;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Sends every probe that is due; answers arrive later, on the connector's threads. */
    public void tick() {
        if (!Leadership.mayAct()) {
            return; // a follower probes nothing: the leader's passes are the ones that judge
        }
        Instant now = clock.instant();
        checkVantagePoint(now);
        for (ProbeBook.Task task : book.due(now)) {
            Optional<String> refusal = guard.refusal(task.address());
            if (refusal.isPresent()) {
                book.refused(task, refusal.get());
                metrics.refused(namespace(task.cluster()), name(task.cluster()), task.probe().name);
                continue;
            }
            connector.probe(task.probe(), task.address(), error -> answered(task, error));
        }
    }

    private void answered(ProbeBook.Task task, String error) {
        ProbeBook.Change change = book.record(task, error, clock.instant());
        if (change.tracked()) { // not for a cluster deleted while its probe was out
            metrics.result(namespace(task.cluster()), name(task.cluster()), task.probe().name, error == null);
        }
        if (change.nowFailing() || change.cleared()) {
            wake.accept(task.cluster());
        }
    }

    /**
     * At most once a second (the vantage point's verdict is over all machines, too costly per answer at 1,000 answers a
     * second): when it changed, every probed cluster is judged again at once.
     */
    private void checkVantagePoint(Instant now) {
        if (lastVantageCheck != null && now.isBefore(lastVantageCheck.plusSeconds(1))) {
            return;
        }
        lastVantageCheck = now;
        Set<String> zones = book.inconclusiveZones();
        if (!zones.equals(lastZones)) {
            lastZones = zones;
            book.clusters().forEach(wake);
        }
    }

    @Override
    public Map<String, List<AppSignal>> failing(HealingCluster cluster, Collection<String> members, Instant now) {
        return book.failing(cluster.ownerKey(), members);
    }

    @Override
    public Set<String> suspect(HealingCluster cluster, Collection<String> members, Instant now) {
        return book.suspects(cluster.ownerKey(), members);
    }

    @Override
    public void seen(HealingCluster hc, ClusterObservation observed, List<InstanceStatus> rows, Instant now) {
        List<ProbeSpec> probes = hc.getSpec().health == null ? List.of() : hc.getSpec().health.probes;
        boolean eipRequired = hc.getSpec().elasticIps != null && hc.getSpec().elasticIps.required;
        List<ProbeBook.Seen> machines = new ArrayList<>();
        for (InstanceStatus row : rows) {
            ObservedInstance i = observed.instances().get(row.instanceId);
            String elasticIp = i == null || i.eip() == null ? null : i.eip().publicIp();
            boolean leaving = row.health == InstanceHealth.Leaving || "Detached".equals(row.lifecycle);
            machines.add(new ProbeBook.Seen(row.instanceId, row.zone, row.privateIp, row.publicIp, elasticIp,
                    InService.of(row, eipRequired), leaving));
        }
        book.seen(hc.ownerKey(), probes, machines, now);
        metrics.keepOnly(namespace(hc), hc.getMetadata().getName(), probes.stream().map(p -> p.name).collect(java.util.stream.Collectors.toSet()));
        book.failingPerProbe(hc.ownerKey()).forEach((probe, n) -> metrics.machinesFailing(namespace(hc), hc.getMetadata().getName(), probe, n));
        reportZones();
    }

    @Override
    public void forget(HealingCluster hc) {
        book.forget(hc.ownerKey());
        metrics.forget(namespace(hc), hc.getMetadata().getName());
        reportZones();
    }

    @Override
    public void conditions(HealingCluster hc, Conditions conditions) {
        if (hc.getSpec().health == null || hc.getSpec().health.probes.isEmpty()) {
            return; // a cluster without probes carries neither condition
        }
        Set<String> zones = book.inconclusiveZones(hc.ownerKey());
        if (zones.isEmpty()) {
            conditions.set(ConditionType.ProbesInconclusive, false, Reason.ProbesConclusive, "");
        } else {
            conditions.set(ConditionType.ProbesInconclusive, true, Reason.ProbesInconclusive, "in zone(s) " + String.join(", ", zones)
                    + " the probes of most machines of every probed cluster fail at once: the operator's own vantage point is suspect,"
                    + " so no machine there is replaced on probe evidence until this clears (docs/runbook.md, ProbesInconclusive)");
        }
        List<String> refused = book.refusals(hc.ownerKey());
        if (refused.isEmpty()) {
            conditions.set(ConditionType.ProbesRefused, false, Reason.ProbesAllowed, "");
        } else {
            conditions.set(ConditionType.ProbesRefused, true, Reason.ProbeAddressRefused, refused.size() + " probe(s) not sent, the machines are"
                    + " not judged by them: " + String.join("; ", refused.stream().limit(3).toList()) + (refused.size() > 3 ? "; …" : ""));
        }
    }

    /** For tests and the bench: the memory behind the verdicts. */
    public ProbeBook book() {
        return book;
    }

    /**
     * autoheal_probes_inconclusive per zone: 1 while inconclusive, 0 for every other zone probed now or before (a series
     * that exists at 0 lets dashboards and the alert tell "fine" from "not probed").
     */
    private synchronized void reportZones() {
        Set<String> now = book.inconclusiveZones();
        zonesReported.addAll(book.probedZones());
        zonesReported.addAll(now);
        zonesReported.forEach(zone -> metrics.inconclusive(zone, now.contains(zone)));
    }

    private static String namespace(HealingCluster hc) {
        return hc.getMetadata().getNamespace();
    }

    private static String namespace(String key) {
        return key.substring(0, key.indexOf('/'));
    }

    private static String name(String key) {
        return key.substring(key.indexOf('/') + 1);
    }
}
