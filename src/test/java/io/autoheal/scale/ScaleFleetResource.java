package io.autoheal.scale;

import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Sandbox;
import io.autoheal.testing.SandboxClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.util.Map;

/**
 * Creates the scale harness's fleet of custom resources in a fresh namespace BEFORE the operator application starts,
 * so that its start is a cold start over a thousand existing clusters (informers' first sync, every cluster's first
 * pass at once), as after an installation or an upgrade. The cluster count: the resource's {@code clusters} argument,
 * or -Dbench.scale.clusters when set. What it made goes to the test through System properties ({@link #fleet()}); the
 * operator is configured to watch that namespace alone.
 */
public class ScaleFleetResource implements QuarkusTestResourceLifecycleManager {
    private static final String PREFIX = "scaleharness.fleet.";
    private int clusters = 20;

    /** The fleet the resource created: namespace, clusters, how long creating it took. */
    public record Fleet(String namespace, int clusters, Duration creating) {
    }

    @Override
    public void init(Map<String, String> args) {
        clusters = Integer.getInteger("bench.scale.clusters", Integer.parseInt(args.getOrDefault("clusters", "20")));
    }

    @Override
    public Map<String, String> start() {
        // the CRDs, as SandboxResource applies them (the order of test resources is not given)
        Kubectl.run("apply", "--server-side", "--force-conflicts", "-f", Sandbox.root().resolve("crds").toString());
        Kubectl.awaitCrdsEstablished();
        removeLeftovers();
        String namespace = "scale-" + Long.toString(System.nanoTime() % 1_000_000, 36);
        Duration creating = ScaleRun.createFleet(SandboxClient.get(), namespace, clusters);
        System.out.printf("[scale] created %d clusters and their pools in namespace %s in %d ms, before the operator starts%n",
                clusters, namespace, creating.toMillis());
        System.setProperty(PREFIX + "namespace", namespace);
        System.setProperty(PREFIX + "clusters", String.valueOf(clusters));
        System.setProperty(PREFIX + "creating", creating.toString());
        // The operator watches only the fleet's namespace (as a deployment's AUTOHEAL_WATCH_NAMESPACES does): the
        // clusters and pools other test classes of this JVM leave behind in their namespaces are not its, and their
        // writes must not count as this fleet's writes at rest.
        // Its own namespace (where a deployed operator's Lease and notification Secret live) is the sandbox's webhook
        // Secret's: the start-up check refuses a configured Secret outside the watched and own namespaces.
        return Map.of("autoheal.watch-namespaces", namespace,
                "autoheal.leader-election.lease-namespace", io.autoheal.testing.SandboxResource.WEBHOOK_SECRET.split("/")[0]);
    }

    /**
     * The fleets of earlier runs that did not finish (their operator gone, finalizers left): their finalizers dropped and
     * their namespaces deleted, so that this run's operator carries this run's fleet alone. Their AWS was in memory.
     */
    private static void removeLeftovers() {
        var client = SandboxClient.get();
        for (var ns : client.namespaces().list().getItems()) {
            String name = ns.getMetadata().getName();
            if (!name.startsWith("scale-")) {
                continue;
            }
            var unfinalize = java.util.concurrent.Executors.newFixedThreadPool(16);
            for (var hc : client.resources(io.autoheal.api.v1alpha1.HealingCluster.class).inNamespace(name).list().getItems()) {
                unfinalize.execute(() -> client.resources(io.autoheal.api.v1alpha1.HealingCluster.class).inNamespace(name)
                        .withName(hc.getMetadata().getName()).edit(r -> { r.getMetadata().setFinalizers(java.util.List.of()); return r; }));
            }
            unfinalize.shutdown();
            try {
                unfinalize.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (var pool : client.resources(io.autoheal.api.v1alpha1.ElasticIpPool.class).inNamespace(name).list().getItems()) {
                client.resources(io.autoheal.api.v1alpha1.ElasticIpPool.class).inNamespace(name).withName(pool.getMetadata().getName())
                        .edit(r -> { r.getMetadata().setFinalizers(java.util.List.of()); return r; });
            }
            client.namespaces().withName(name).delete();
            System.out.println("[scale] removed the leftover fleet of namespace " + name);
        }
    }

    @Override
    public void stop() {
    }

    public static Fleet fleet() {
        String ns = System.getProperty(PREFIX + "namespace");
        return ns == null ? null : new Fleet(ns, Integer.getInteger(PREFIX + "clusters"), Duration.parse(System.getProperty(PREFIX + "creating")));
    }
}
