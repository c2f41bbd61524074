package io.autoheal.scale;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.PoolManifest;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One run of the scale harness against the operator of this JVM ({@link ScaleProfile}) over a fleet of {@code clusters}
 * HealingClusters of {@value #MACHINES} machines, an ElasticIpPool per {@value #CLUSTERS_PER_POOL} clusters, in one
 * namespace of the real API server ({@link ScaleFleetResource} creates it before the operator starts); each figure of
 * {@link ScaleResult} in turn. Nothing here is an
 * assertion: the callers judge the result (the CI variant asserts, the bench prints verdicts).
 */
public final class ScaleRun {
    static final int MACHINES = 10;
    static final int CLUSTERS_PER_POOL = 10;
    private static final YAMLMapper YAML = new YAMLMapper();

    private final KubernetesClient client;
    private final MeterRegistry registry;
    private final StandInRegion region = StandInRegion.current();
    private final int clusters;
    private final Duration resync;
    private final Duration readyBudget;
    private final String namespace;
    private final Log log;

    /** Progress lines ("[scale mm:ss] ..."). */
    public interface Log {
        void line(String text);
    }

    public ScaleRun(KubernetesClient client, MeterRegistry registry, String namespace, int clusters, Duration resync, Duration readyBudget,
                    Log log) {
        this.client = client;
        this.registry = registry;
        this.clusters = clusters;
        this.resync = resync;
        this.readyBudget = readyBudget;
        this.log = log;
        this.namespace = namespace;
    }

    public String namespace() {
        return namespace;
    }

    int pools() {
        return (clusters + CLUSTERS_PER_POOL - 1) / CLUSTERS_PER_POOL;
    }

    static String clusterName(int i) {
        return String.format("c-%04d", i);
    }

    /** Creates the fleet's namespace, pools and clusters (16 at a time); returns how long it took. */
    static Duration createFleet(KubernetesClient client, String namespace, int clusters) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        Instant start = Instant.now();
        ExecutorService creators = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> created = new ArrayList<>();
            for (int p = 0; p < (clusters + CLUSTERS_PER_POOL - 1) / CLUSTERS_PER_POOL; p++) {
                String yaml = PoolManifest.named("pool-" + p).allocate(CLUSTERS_PER_POOL * MACHINES).toYaml();
                ElasticIpPool pool = YAML.readValue(yaml, ElasticIpPool.class);
                created.add(creators.submit(() -> client.resources(ElasticIpPool.class).inNamespace(namespace).resource(pool).create()));
            }
            for (int i = 0; i < clusters; i++) {
                HealingCluster hc = ClusterManifest.named(clusterName(i)).capacity(MACHINES, MACHINES, MACHINES + 1)
                        .poolRef("pool-" + (i / CLUSTERS_PER_POOL)).toResource(namespace);
                hc.getMetadata().setUid(null);
                hc.getMetadata().setGeneration(null);
                created.add(creators.submit(() -> client.resources(HealingCluster.class).inNamespace(namespace).resource(hc).create()));
            }
            for (Future<?> f : created) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not create the scale fleet in " + namespace, e);
        } finally {
            creators.shutdown();
        }
        return Duration.between(start, Instant.now());
    }

    /**
     * Cold start: from the operator application's start ({@code since}; the fleet's resources existed before it) until
     * every cluster and pool is Ready; reconciles, heap and RSS meanwhile.
     */
    public ScaleResult.ColdStart coldStart(Instant since, Duration creating) throws InterruptedException {
        long peakHeap = 0;
        int ready = 0;
        Instant deadline = since.plus(readyBudget);
        while (Instant.now().isBefore(deadline)) {
            peakHeap = Math.max(peakHeap, Memory.usedHeap());
            try {
                ready = readyClusters();
                if (ready == clusters && readyPools() == pools()) {
                    break;
                }
            } catch (io.fabric8.kubernetes.client.KubernetesClientException busy) {
                log.line("the API server did not answer the harness's list (" + busy.getMessage() + "); again");
            }
            Thread.sleep(clusters > 100 ? 1000 : 250);
        }
        Duration took = Duration.between(since, Instant.now());
        double reconciled = reconciles();
        log.line(ready + " of " + clusters + " clusters Ready " + took.toMillis() + " ms after the operator's start; " + (long) reconciled
                + " reconciles");
        return new ScaleResult.ColdStart(clusters, pools(), ready, creating, took, reconciled, region.totalWrites(),
                peakHeap, Memory.liveHeapAfterGc(), Memory.rssKiB("VmRSS"), Memory.rssKiB("VmHWM"));
    }

    /** API-server requests, reconciles and AWS writes over {@code rounds} resyncs of a fleet at rest, after one to settle. */
    public ScaleResult.AtRest atRest(int rounds) throws InterruptedException {
        // Events are sent in the background: the cold start's (one per association, per group …) may still be on their
        // way. They are the cold start's writes, not the fleet's at rest: wait for them first, and show how long it took.
        var events = io.quarkus.arc.Arc.container().instance(io.autoheal.kube.EventRecorder.class).get();
        int waitingAtReady = events.pending();
        Instant draining = Instant.now();
        while (events.pending() > 0 && Duration.between(draining, Instant.now()).compareTo(readyBudget) < 0) {
            Thread.sleep(100);
        }
        Duration drained = Duration.between(draining, Instant.now());
        log.line(waitingAtReady + " Events waiting to be sent after the cold start; all sent " + drained.toMillis() + " ms later ("
                + events.pending() + " left, " + events.dropped() + " dropped)");
        Thread.sleep(resync.toMillis());
        String before = io.autoheal.testing.ApiServerMetrics.scrape();
        double reconcilesBefore = reconciles();
        Map<String, Long> awsBefore = region.writes();
        Thread.sleep(resync.toMillis() * rounds);
        String after = io.autoheal.testing.ApiServerMetrics.scrape();
        double reconciled = reconciles() - reconcilesBefore;
        Map<String, Long> aws = ScaleResult.diff(awsBefore, region.writes());
        Map<String, Long> requests = ScaleResult.diff(ApiRequests.byVerbAndResource(before), ApiRequests.byVerbAndResource(after));
        log.line("at rest over " + rounds + " resyncs: " + requests + "; AWS writes " + aws);
        return new ScaleResult.AtRest(rounds, resync, requests, reconciled, aws, waitingAtReady, drained, events.dropped());
    }

    /**
     * One machine at a time (in {@code samples} clusters spread over the fleet) stops behind the operator's back and
     * EC2's state-change event goes on the queue: the time from the stop to the operator's replaceInstance call. With
     * {@code rightAfterAPass}, each stop is made as soon as a pass over its cluster began, so that the next resync of
     * that cluster is a whole (spread) resync interval away: an action sooner than that was not the resync's.
     */
    public ScaleResult.EventToAction eventToAction(int samples, boolean rightAfterAPass) throws InterruptedException {
        List<Duration> times = new ArrayList<>();
        List<Boolean> placedFirst = new ArrayList<>();
        List<Duration> sincePass = new ArrayList<>();
        for (int s = 0; s < samples; s++) {
            HealingCluster hc = client.resources(HealingCluster.class).inNamespace(namespace)
                    .withName(clusterName(s * clusters / samples)).get();
            String asg = hc.getStatus().asgName;
            String victim = region.fleet.serving(asg).get(0);
            Instant pass = null;
            if (rightAfterAPass) {
                long before = region.passes(asg);
                Instant waitUntil = Instant.now().plus(resync.multipliedBy(2));
                while (region.passes(asg) == before && Instant.now().isBefore(waitUntil)) {
                    Thread.sleep(2);
                }
                pass = region.passes(asg) == before ? null : region.lastPass(asg);
            }
            Instant stopped = Instant.now();
            region.fleet.stop(victim);
            region.publishStateChange(hc.getStatus().region, victim, "stopped");
            Instant deadline = stopped.plus(resync.multipliedBy(2));
            while (region.replacedAt(victim) == null && Instant.now().isBefore(deadline)) {
                Thread.sleep(5);
            }
            Instant acted = region.replacedAt(victim);
            Instant placed = region.eventPlacedAt(victim);
            Duration took = acted == null ? null : Duration.between(stopped, acted);
            times.add(took);
            placedFirst.add(acted != null && placed != null && !placed.isAfter(acted));
            if (rightAfterAPass) {
                sincePass.add(acted == null || pass == null ? null : Duration.between(pass, acted));
            }
            log.line("stopped " + victim + " of " + hc.getMetadata().getName() + ": " + (took == null ? "no action within 2 resyncs"
                    : "replaced after " + took.toMillis() + " ms") + "; event at the sink " + (placed == null ? "never"
                    : Duration.between(stopped, placed).toMillis() + " ms after the stop")
                    + (pass == null ? "" : "; the pass before began " + Duration.between(pass, stopped).toMillis() + " ms before the stop"));
            Thread.sleep(300);
        }
        return new ScaleResult.EventToAction(times, placedFirst, sincePass);
    }

    /**
     * A new operator (started at {@code startedAt}) over the fleet of an earlier run, at rest: the time until it has
     * passed over every cluster's group once, then one resync more; the AWS writes it made meanwhile (0 expected: every
     * machine is fine) and its API writes since {@code apiBefore} (a scrape when the earlier operator left).
     */
    public ScaleResult.Restart restart(Instant startedAt, String apiBefore, Duration budget) throws InterruptedException {
        Instant deadline = startedAt.plus(budget);
        while (region.firstObserved().size() < clusters && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        Map<String, Instant> observed = region.firstObserved();
        boolean steady = observed.size() >= clusters;
        Instant lastFirst = observed.values().stream().max(Instant::compareTo).orElse(Instant.now());
        log.line("the new operator passed over " + observed.size() + " of " + clusters + " groups, the last first seen "
                + Duration.between(startedAt, lastFirst).toMillis() + " ms after its start; one resync more");
        Thread.sleep(resync.toMillis());
        steady &= readyClusters() == clusters;
        Map<String, Long> requests = ScaleResult.diff(ApiRequests.byVerbAndResource(apiBefore),
                ApiRequests.byVerbAndResource(io.autoheal.testing.ApiServerMetrics.scrape()));
        long apiWrites = requests.entrySet().stream().filter(e -> ApiRequests.isOperatorWrite(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        log.line("restart: AWS writes " + region.writes() + "; API requests since the first operator left " + requests);
        return new ScaleResult.Restart(Duration.between(startedAt, lastFirst), steady, region.writes(), reconciles(), apiWrites, requests);
    }

    /** Waits until every cluster is Ready again (after the event samples healed). */
    public boolean awaitAllReady(Duration budget) throws InterruptedException {
        Instant deadline = Instant.now().plus(budget);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (readyClusters() == clusters && readyPools() == pools()) {
                    return true;
                }
            } catch (io.fabric8.kubernetes.client.KubernetesClientException busy) {
                log.line("the API server did not answer the harness's list (" + busy.getMessage() + "); again");
            }
            Thread.sleep(1000);
        }
        return false;
    }

    /**
     * Deletes the fleet's namespace and waits (at most {@code budget}) until it is gone: the operator of this application
     * must let its clusters' finalizers go, else the next application's operator finds them half-deleted.
     */
    public boolean deleteNamespace(Duration budget) throws InterruptedException {
        client.namespaces().withName(namespace).delete();
        Instant deadline = Instant.now().plus(budget);
        while (Instant.now().isBefore(deadline)) {
            if (client.namespaces().withName(namespace).get() == null) {
                return true;
            }
            Thread.sleep(500);
        }
        log.line("namespace " + namespace + " still there after " + budget.toSeconds() + " s");
        return false;
    }

    int readyClusters() {
        return (int) client.resources(HealingCluster.class).inNamespace(namespace).list().getItems().stream()
                .filter(hc -> hc.getStatus() != null && Integer.valueOf(MACHINES).equals(hc.getStatus().readyReplicas)
                        && Integer.valueOf(MACHINES).equals(hc.getStatus().elasticIps)
                        && hc.getStatus().conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
                .count();
    }

    int readyPools() {
        return (int) client.resources(ElasticIpPool.class).inNamespace(namespace).list().getItems().stream()
                .filter(p -> p.getStatus() != null && p.getStatus().conditions != null
                        && p.getStatus().conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
                .count();
    }

    double reconciles() {
        return registry.find("autoheal.reconciliations").counters().stream().mapToDouble(Counter::count).sum();
    }
}
