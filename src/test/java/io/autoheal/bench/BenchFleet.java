package io.autoheal.bench;

import io.autoheal.testing.Examples;
import io.autoheal.testing.Kubectl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The bench's clusters in one fresh namespace: {@code clusters} HealingClusters of 3 machines each and, when asked,
 * one ElasticIpPool per 10 clusters allocating an address for each of their machines. YAML is written here (not with
 * ClusterManifest) so the sandbox's subnets are looked up once per fleet instead of once per cluster.
 */
final class BenchFleet {
    static final int MACHINES = 3;
    static final int CLUSTERS_PER_POOL = 10;
    private static final String READY = "{.status.conditions[?(@.type==\"Ready\")].status}";

    final String namespace;
    final int clusters;
    final int pools;

    private BenchFleet(String namespace, int clusters, int pools) {
        this.namespace = namespace;
        this.clusters = clusters;
        this.pools = pools;
    }

    static BenchFleet create(String prefix, int clusters, boolean withPools) {
        String ns = "bench-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        Kubectl.run("create", "namespace", ns);
        return new BenchFleet(ns, clusters, withPools ? (clusters + CLUSTERS_PER_POOL - 1) / CLUSTERS_PER_POOL : 0);
    }

    static String clusterName(int i) {
        return String.format("c%02d", i);
    }

    void apply() {
        List<String> docs = new ArrayList<>();
        for (int p = 0; p < pools; p++) {
            int members = Math.min(CLUSTERS_PER_POOL, clusters - p * CLUSTERS_PER_POOL);
            docs.add("""
                    apiVersion: autoheal.io/v1alpha1
                    kind: ElasticIpPool
                    metadata: {name: p%d}
                    spec: {allocate: {count: %d}}
                    """.formatted(p, members * MACHINES));
        }
        for (int c = 0; c < clusters; c++) {
            docs.add("""
                    apiVersion: autoheal.io/v1alpha1
                    kind: HealingCluster
                    metadata: {name: %s}
                    spec:
                      roles: [bench]
                      environment: bench
                      capacity: {min: %d, desired: %d, max: %d}
                      template: {machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}}
                      subnetIds: [subnet-0aaaaaaaaaaaaaaa1]
                    """.formatted(clusterName(c), MACHINES, MACHINES, MACHINES)
                    + (pools > 0 ? "  elasticIps: {poolRef: p" + c / CLUSTERS_PER_POOL + "}\n" : ""));
        }
        String yaml = Examples.withSubnets(String.join("---\n", docs));
        Kubectl.Result r = Kubectl.exec(yaml, "apply", "-n", namespace, "-f", "-");
        if (!r.ok()) {
            throw new IllegalStateException("kubectl apply failed: " + r.output());
        }
    }

    /** How many clusters are Ready (with an Elastic IP on every machine when there are pools), and pools Ready. */
    int ready() {
        String rows = Kubectl.run("get", "healingclusters", "-n", namespace, "-o",
                "jsonpath={range .items[*]}{.status.elasticIps}{\" \"}" + READY + "{\"\\n\"}{end}");
        int ready = 0;
        for (String row : rows.split("\n")) {
            String[] f = row.trim().split(" ");
            boolean eips = pools == 0 || f.length == 2 && f[0].equals(String.valueOf(MACHINES));
            if (eips && row.trim().endsWith("True")) {
                ready++;
            }
        }
        return ready;
    }

    boolean poolsReady() {
        if (pools == 0) {
            return true;
        }
        String rows = Kubectl.run("get", "elasticippools", "-n", namespace, "-o", "jsonpath={range .items[*]}" + READY + "{\"\\n\"}{end}");
        return rows.lines().filter(l -> l.trim().equals("True")).count() == pools;
    }

    /** Waits until every cluster (and pool) is Ready; false when the timeout passed first. */
    boolean awaitReady(Duration timeout, BenchClock clock, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            int ready = ready();
            if (ready != last) {
                clock.say("%s: %d/%d clusters ready", what, ready, clusters);
                last = ready;
            }
            if (ready == clusters && poolsReady()) {
                return true;
            }
            BenchClock.sleep(Duration.ofSeconds(2));
        }
        return false;
    }

    /**
     * Removes bench namespaces without an operator: their objects' finalizers are dropped (moto was reset, there is
     * nothing left in AWS to clean up) and the namespace controller deletes the rest.
     */
    static void cleanUp(List<String> namespaces) {
        for (String ns : namespaces) {
            String names = Kubectl.exec(null, "get", "healingclusters,elasticippools", "-n", ns, "-o", "name").output().trim();
            if (!names.isEmpty() && !names.contains("NotFound")) {
                List<String> args = new ArrayList<>(List.of("patch", "-n", ns, "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}"));
                args.addAll(names.lines().map(String::trim).filter(l -> !l.isEmpty()).toList());
                Kubectl.exec(null, args.toArray(String[]::new));
            }
            Kubectl.exec(null, "delete", "namespace", ns, "--wait=false");
        }
    }
}
