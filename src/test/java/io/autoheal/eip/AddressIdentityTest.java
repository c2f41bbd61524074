package io.autoheal.eip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Manifest;
import io.autoheal.testing.Moto;
import io.autoheal.testing.PoolManifest;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * A machine's public IP is part of its identity, end to end (operator in-process, real API server, moto): a pool
 * never replaces an Elastic IP a machine already holds from elsewhere, and a replacement takes the address of the
 * very machine it replaces, even when the pool has more free addresses (of its own cluster's too) than needed.
 */
@SandboxTest
class AddressIdentityTest {
    static final Duration SETTLE = Duration.ofSeconds(90);
    /** EC2 tag the test's pools select their addresses by (value: the namespace). */
    static final String POOL_TAG = "autoheal-test/pool";
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("eipid").freshAws().deleteAfterEach("healingclusters,elasticippools");

    @Inject
    KubernetesClient client;

    @Test
    void aMachineHoldingAnotherElasticIpKeepsItGetsNoPoolAddressAndItsRowSaysSo() {
        // The pool selects nothing yet, so nothing can be associated before the outside address is in place.
        ns.apply(Manifest.join(PoolManifest.named("edge-ips").selector(POOL_TAG, ns.name()), edgeCluster("keeper", 3, "edge-ips")));
        String key = ns.name() + "/keeper";
        List<String> machines = await().ignoreExceptions().atMost(SETTLE).until(() -> running(key), m -> m.size() == 3);
        String holder = machines.get(0);
        String outside = Moto.ec2().allocateAddress(b -> b.domain("vpc").tagSpecifications(t -> t.resourceType("elastic-ip")
                .tags(tag -> tag.key("team").value("ops")))).allocationId();
        String association = Moto.ec2().associateAddress(b -> b.allocationId(outside).instanceId(holder)).associationId();
        String outsideIp = address(outside).publicIp();

        // Three pool addresses for the two machines that need one: one stays free, and still the holder gets none.
        List<String> pool = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pool.add(Moto.ec2().allocateAddress(b -> b.domain("vpc").tagSpecifications(t -> t.resourceType("elastic-ip")
                    .tags(tag -> tag.key(POOL_TAG).value(ns.name())))).allocationId());
        }
        await().ignoreExceptions().atMost(SETTLE).untilAsserted(() -> {
            assertThat(holderOf(outside)).as("the outside address stays where it is").isEqualTo(holder);
            Map<String, String> poolHolders = holders(pool);
            assertThat(poolHolders.values()).as("the two other machines, one each").containsExactlyInAnyOrderElementsOf(machines.subList(1, 3));
            ElasticIpPool p = client.resources(ElasticIpPool.class).inNamespace(ns.name()).withName("edge-ips").get();
            assertThat(p.getStatus()).isNotNull();
            assertThat(p.getStatus().free).isEqualTo(1);
            assertThat(p.getStatus().waiting).as("the holder does not wait").isZero();
            assertThat(Conditions.isTrue(p.getStatus().conditions, ConditionType.Exhausted)).isFalse();
            Map<String, InstanceStatus> rows = rows("keeper");
            assertThat(rows.get(holder).eipAllocationId).isEqualTo(outside);
            assertThat(rows.get(holder).eipNote).isEqualTo("holds Elastic IP " + outsideIp + " (" + outside
                    + ") from outside pool edge-ips: keeps it, no pool address is assigned");
            assertThat(machines.subList(1, 3)).allSatisfy(m -> {
                assertThat(rows.get(m).eipNote).isNull();
                assertThat(pool).contains(rows.get(m).eipAllocationId);
            });
        });
        // Well after the plan settled, still nothing moved (the pool passes every 2 s in tests). moto, unlike AWS,
        // would list the outside address as still associated after a second association; the instance's public IP
        // is what AWS (and moto) replace.
        assertThat(holderOf(outside)).isEqualTo(holder);
        assertThat(publicIp(holder)).isEqualTo(outsideIp);

        // Once its owner moves the outside address away, the machine needs one and gets the pool's free address.
        Moto.ec2().disassociateAddress(b -> b.associationId(association));
        await().ignoreExceptions().atMost(SETTLE).untilAsserted(() -> {
            assertThat(holders(pool).values()).containsExactlyInAnyOrderElementsOf(machines);
            InstanceStatus row = rows("keeper").get(holder);
            assertThat(pool).contains(row.eipAllocationId);
            assertThat(row.eipNote).isNull();
        });
        assertThat(holderOf(outside)).isNull();
    }

    @Test
    void aReplacementGetsTheAddressOfTheMachineItReplacesNotALowerFormerAddressOfItsCluster() {
        // Five addresses, sorted: the two lowest are kept on machines outside the cluster (foreign, never touched)
        // while the cluster fills, so its two machines take two of the three highest.
        List<String> pool = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pool.add(Moto.ec2().allocateAddress(b -> b.domain("vpc").tagSpecifications(t -> t.resourceType("elastic-ip")
                    .tags(tag -> tag.key(POOL_TAG).value(ns.name())))).allocationId());
        }
        pool.sort(Comparator.naturalOrder());
        String subnet = Moto.defaultSubnets().get(0);
        List<String> associations = new ArrayList<>();
        for (String low : pool.subList(0, 2)) {
            String stranger = Moto.ec2().runInstances(b -> b.imageId("ami-0123456789abcdef0").instanceType("t3.micro").minCount(1)
                    .maxCount(1).subnetId(subnet)).instances().get(0).instanceId();
            associations.add(Moto.ec2().associateAddress(b -> b.allocationId(low).instanceId(stranger)).associationId());
        }
        ns.apply(Manifest.join(PoolManifest.named("spare-ips").selector(POOL_TAG, ns.name()), edgeCluster("heir", 2, "spare-ips")));
        String key = ns.name() + "/heir";
        Map<String, String> before = await().ignoreExceptions().atMost(SETTLE).until(() -> holders(pool).entrySet().stream()
                        .filter(e -> running(key).contains(e.getValue())).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
                m -> m.size() == 2);
        assertThat(before.keySet()).as("the cluster took high addresses").allMatch(id -> pool.indexOf(id) >= 2);

        // The two low addresses come free; the lowest becomes a decoy: a former address of this cluster whose machine
        // is long gone (AWS no longer lists it).
        associations.forEach(a -> Moto.ec2().disassociateAddress(b -> b.associationId(a)));
        String decoy = pool.get(0);
        Moto.ec2().createTags(b -> b.resources(decoy).tags(t -> t.key("autoheal.io/assigned-cluster").value(key),
                t -> t.key("autoheal.io/instance").value("i-0000000000000dead")));
        String victimAddress = before.keySet().stream().sorted().findFirst().orElseThrow();
        String victim = before.get(victimAddress);
        String victimIp = address(victimAddress).publicIp();
        assertThat(decoy).isLessThan(victimAddress);

        // moto, like AWS while the machine shuts down, keeps the address on the terminated machine at first: the
        // pool frees it, and the replacement waits one pass for it rather than take a free one.
        Moto.ec2().terminateInstances(b -> b.instanceIds(victim));
        String replacement = await().ignoreExceptions().atMost(SETTLE).until(() -> running(key).stream()
                .filter(i -> !before.containsValue(i)).findFirst().orElse(null), r -> r != null && addressOf(r) != null);
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> addressOf(replacement) != null);
        Address got = addressOf(replacement);
        assertThat(got.publicIp()).as("the replacement took its predecessor's public IP, not the decoy's").isEqualTo(victimIp);
        assertThat(holderOf(decoy)).as("the decoy stays free").isNull();
        HealingCluster hc = client.resources(HealingCluster.class).inNamespace(ns.name()).withName("heir").get();
        assertThat(hc.getStatus().instances).noneMatch(r -> r.eipNote != null);
        ns.awaitEvent("EipAssociated", "with " + replacement + " (its predecessor's address)");
    }

    /** A cluster of {@code size} t3.micro edge machines, each with an address of {@code pool}. */
    private static ClusterManifest edgeCluster(String name, int size, String pool) {
        return ClusterManifest.named(name).roles("edge").capacity(size, size, size).instanceType("t3.micro").poolRef(pool);
    }

    private static Address address(String allocationId) {
        return Moto.ec2().describeAddresses(b -> b.allocationIds(allocationId)).addresses().get(0);
    }

    /** The instance an address is associated with, null if none (moto answers an empty string). */
    private static String holderOf(String allocationId) {
        String instance = address(allocationId).instanceId();
        return instance == null || instance.isBlank() ? null : instance;
    }

    /** The Elastic IP associated with an instance (the first, by allocation id), or null. */
    private static Address addressOf(String instanceId) {
        return Moto.ec2().describeAddresses(b -> b.filters(f -> f.name("instance-id").values(instanceId))).addresses().stream()
                .filter(a -> instanceId.equals(a.instanceId())).min(Comparator.comparing(Address::allocationId)).orElse(null);
    }

    /** Of these addresses, the associated ones and their instance. */
    private static Map<String, String> holders(List<String> allocationIds) {
        return Moto.ec2().describeAddresses(b -> b.allocationIds(allocationIds)).addresses().stream()
                .filter(a -> a.instanceId() != null && !a.instanceId().isBlank())
                .collect(Collectors.toMap(Address::allocationId, Address::instanceId));
    }

    private static String publicIp(String instanceId) {
        return Moto.ec2().describeInstances(b -> b.instanceIds(instanceId)).reservations().get(0).instances().get(0).publicIpAddress();
    }

    /** Running instances of a cluster, sorted by id. */
    private static List<String> running(String clusterKey) {
        return Moto.ec2().describeInstances(b -> b.filters(f -> f.name("tag:autoheal.io/cluster").values(clusterKey),
                        f -> f.name("instance-state-name").values("running")))
                .reservations().stream().flatMap(r -> r.instances().stream()).map(Instance::instanceId).sorted().toList();
    }

    private Map<String, InstanceStatus> rows(String cluster) {
        HealingCluster hc = client.resources(HealingCluster.class).inNamespace(ns.name()).withName(cluster).get();
        assertThat(hc.getStatus()).isNotNull();
        return hc.getStatus().instances.stream().collect(Collectors.toMap(r -> r.instanceId, r -> r, (a, b) -> a));
    }
}
