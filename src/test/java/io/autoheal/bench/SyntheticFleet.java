package io.autoheal.bench;

import io.autoheal.api.v1alpha1.Capacity;
import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.ElasticIpPoolSpec;
import io.autoheal.api.v1alpha1.ElasticIpsSpec;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterSpec;
import io.autoheal.api.v1alpha1.InlineMachine;
import io.autoheal.api.v1alpha1.MachineTemplate;
import io.autoheal.cloud.Tags;
import io.autoheal.testing.InMemoryFleet;
import io.autoheal.testing.TestClock;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A synthetic region at one instant, held by an {@link InMemoryFleet} that answers the operator's ports, plus the custom
 * resources the operator's informers would hold: {@code clusters} HealingClusters of {@code machines} each, every
 * machine with its Elastic IP, the addresses in one pool or in a pool per cluster. Deterministic: one machine in
 * 500 is stopped and one in 500 fails its status checks, the rest are healthy and in service.
 */
final class SyntheticFleet {
    static final String NAMESPACE = "fleet";
    static final String REGION = "us-east-1";
    static final Instant NOW = Instant.parse("2026-11-30T03:00:00Z");
    private static final List<String> ZONES = List.of("us-east-1a", "us-east-1b", "us-east-1c");

    enum Layout {
        ONE_POOL("one pool"), POOL_PER_CLUSTER("a pool per cluster");

        final String label;

        Layout(String label) {
            this.label = label;
        }
    }

    final int clusters;
    final int machines;
    final Layout layout;
    final List<HealingCluster> resources = new ArrayList<>();
    final List<ElasticIpPool> pools = new ArrayList<>();
    final TestClock clock = new TestClock(NOW);
    /** The region behind the ports; dropped after the pass so the heap measure keeps only what the operator retains. */
    InMemoryFleet world = new InMemoryFleet(clock);

    SyntheticFleet(int clusters, int machines, Layout layout) {
        this.clusters = clusters;
        this.machines = machines;
        this.layout = layout;
        if (layout == Layout.ONE_POOL) {
            pools.add(pool("shared"));
        }
        for (int c = 0; c < clusters; c++) {
            String name = String.format("c%04d", c);
            String poolName = layout == Layout.ONE_POOL ? "shared" : "p" + name;
            if (layout == Layout.POOL_PER_CLUSTER) {
                pools.add(pool(poolName));
            }
            resources.add(cluster(name, poolName));
            String asg = asgName(name);
            world.seedGroup(asg, Map.of(Tags.CLUSTER, NAMESPACE + "/" + name, Tags.ROLE, "voip", Tags.ENV, "prod", "Name", name),
                    machines, ltId(c), "1", List.of("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"));
            for (int m = 0; m < machines; m++) {
                int n = c * machines + m;
                String id = String.format("i-%017x", 0x10000000L + n);
                boolean stopped = n % 500 == 7;
                world.seedMachine(asg, id, ZONES.get(n % ZONES.size()), NOW.minus(Duration.ofHours(1)).minusSeconds(n),
                        stopped ? "stopped" : "running", stopped ? null : n % 500 == 250 ? "impaired" : "ok");
                world.seedAddress(String.format("eipalloc-%017x", 0x30000000L + n), ip("3", n), id, Map.of(Tags.POOL, NAMESPACE + "/" + poolName,
                        Tags.ASSIGNED_INSTANCE, id, Tags.ASSIGNED_CLUSTER, NAMESPACE + "/" + name));
            }
        }
    }

    int machinesTotal() {
        return clusters * machines;
    }

    static String asgName(String cluster) {
        return io.autoheal.cluster.ClusterNames.owned(io.autoheal.cloud.Installations.LEGACY, NAMESPACE, cluster);
    }

    void dropAnswers() {
        world = null;
    }

    private static String ltId(int c) {
        return String.format("lt-%017x", 0x20000000L + c);
    }

    private static String ip(String prefix, int n) {
        return prefix + "." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
    }

    private HealingCluster cluster(String name, String poolName) {
        HealingCluster hc = new HealingCluster();
        hc.setMetadata(new ObjectMetaBuilder().withNamespace(NAMESPACE).withName(name).withGeneration(1L)
                .withUid(java.util.UUID.nameUUIDFromBytes(name.getBytes()).toString()).build());
        HealingClusterSpec spec = new HealingClusterSpec();
        spec.roles = List.of("voip");
        spec.environment = "prod";
        spec.capacity = new Capacity(machines, machines, machines);
        spec.template = new MachineTemplate();
        spec.template.machine = new InlineMachine();
        spec.template.machine.imageId = "ami-0123456789abcdef0";
        spec.template.machine.instanceType = "t3.small";
        spec.subnetIds = List.of("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2");
        spec.elasticIps = new ElasticIpsSpec();
        spec.elasticIps.poolRef = poolName;
        hc.setSpec(spec);
        return hc;
    }

    private static ElasticIpPool pool(String name) {
        ElasticIpPool pool = new ElasticIpPool();
        pool.setMetadata(new ObjectMetaBuilder().withNamespace(NAMESPACE).withName(name).withGeneration(1L)
                .withUid(java.util.UUID.nameUUIDFromBytes(("pool-" + name).getBytes()).toString()).build());
        pool.setSpec(new ElasticIpPoolSpec());
        return pool;
    }
}
