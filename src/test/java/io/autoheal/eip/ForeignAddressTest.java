package io.autoheal.eip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.fleet.Tags;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.kube.EventRecorder;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Examples;
import io.autoheal.testing.Manifest;
import io.autoheal.testing.Moto;
import io.autoheal.testing.PoolManifest;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.autoheal.testing.SandboxTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Address ownership end to end: an address is moved only by the pool that claimed it. Another pool that lists or
 * selects it — in another namespace, serving no cluster — takes nothing, for a whole minute sampled every second, and
 * says who holds it (status count, ForeignAddresses condition, Warning Event). Two pools listing one free address: the
 * first claimant assigns it, the other reports it, and nothing flaps.
 */
@SandboxTest
class ForeignAddressTest {
    static final Duration SETTLE = Duration.ofSeconds(90);
    /** Longer than one resync (30 s): the bug took the address on a pool's first pass, within seconds. */
    static final int WATCH_SECONDS = 35;
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("owner");
    @RegisterExtension
    static TestNamespace other = new TestNamespace("squat");

    @Inject
    KubernetesClient client;
    @Inject
    EventRecorder events;

    @BeforeEach
    void freshAws() {
        Moto.reset();
    }

    @AfterEach
    void removeResources() {
        other.kubectl("delete", "healingclusters,elasticippools", "--all", "--timeout=90s");
        ns.kubectl("delete", "healingclusters,elasticippools", "--all", "--timeout=90s");
    }

    @Test
    void poolsInAnotherNamespaceListingOrSelectingTheVoipAddressesTakeNothingAndNameTheirHolder() throws Exception {
        ns.apply(Examples.render("voip-pool.yaml"));
        ns.apply(Examples.render("voip-cluster.yaml"));
        String voip = ns.name() + "/voip";
        Map<String, String> serving = await().ignoreExceptions().atMost(SETTLE).until(() -> instanceByAllocation(voip), m -> m.size() == 3);
        String listed = serving.keySet().iterator().next();
        assertThat(tag(listed, Tags.CLAIMED_BY)).as("allocated addresses are claimed from birth").isEqualTo("default/" + ns.name() + "/voip-eips");

        other.apply(Manifest.join(PoolManifest.named("squatter").addresses(listed),
                PoolManifest.named("sniffer").selector(Tags.POOL, ns.name() + "/voip-eips")));

        long started = System.nanoTime();
        for (int s = 0; s < WATCH_SECONDS; s++) {
            assertThat(instanceByAllocation(voip)).as("second %d: every voip address still on its machine", s).isEqualTo(serving);
            Thread.sleep(1000);
        }
        System.out.printf("ForeignAddressTest: watched the voip addresses for %d s%n", (System.nanoTime() - started) / 1_000_000_000);

        String claimant = "claimed by pool default/" + ns.name() + "/voip-eips";
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ElasticIpPool squatter = pool(other, "squatter");
            assertThat(squatter.getStatus().foreign).isEqualTo(1);
            assertThat(squatter.getStatus().assigned).isZero();
            assertThat(squatter.getStatus().attention).singleElement().satisfies(a -> {
                assertThat(List.of(a.allocationId, a.state, a.instanceId)).containsExactly(listed, "Foreign", serving.get(listed));
                assertThat(a.holder).startsWith(claimant);
            });
            assertThat(foreignCondition(squatter).getStatus()).isEqualTo("True");
            assertThat(foreignCondition(squatter).getMessage()).contains(listed).contains(claimant);

            ElasticIpPool sniffer = pool(other, "sniffer");
            assertThat(sniffer.getStatus().foreign).isEqualTo(3);
            assertThat(foreignCondition(sniffer).getMessage()).contains(claimant);
            assertThat(warnings(other)).anySatisfy(w -> assertThat(w).contains(listed).contains(claimant));
        });
        // an absence cannot be awaited: first let every Event recorded so far reach the API server (they are sent in the background)
        await().atMost(TestNamespace.EVENT_WAIT).until(() -> events.pending() == 0);
        assertThat(ns.events("EipDisassociated")).as("the voip pool never had to put anything back").isBlank();
    }

    @Test
    void twoPoolsListingOneFreeAddressTheFirstClaimantAssignsItTheOtherReportsItAndNothingFlaps() throws Exception {
        String shared = Moto.ec2().allocateAddress(b -> b.domain("vpc")).allocationId();
        ns.apply(Manifest.join(PoolManifest.named("first").addresses(shared), PoolManifest.named("second").addresses(shared),
                edgeCluster("one", "first"), edgeCluster("two", "second")));
        String holder = await().ignoreExceptions().atMost(SETTLE).until(() -> address(shared).instanceId(), id -> id != null && !id.isBlank());
        String association = address(shared).associationId();
        String claim = tag(shared, Tags.CLAIMED_BY);
        String winner = claim.substring(claim.lastIndexOf('/') + 1);
        String loser = winner.equals("first") ? "second" : "first";
        assertThat(claim).isIn("default/" + ns.name() + "/first", "default/" + ns.name() + "/second");

        long started = System.nanoTime();
        for (int s = 0; s < WATCH_SECONDS; s++) {
            Address now = address(shared);
            assertThat(List.of(String.valueOf(now.instanceId()), String.valueOf(now.associationId()), String.valueOf(tag(now, Tags.CLAIMED_BY))))
                    .as("second %d", s).containsExactly(holder, association, claim);
            Thread.sleep(1000);
        }
        System.out.printf("ForeignAddressTest: watched the shared address for %d s%n", (System.nanoTime() - started) / 1_000_000_000);

        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(pool(ns, winner).getStatus().assigned).isEqualTo(1);
            ElasticIpPool other = pool(ns, loser);
            assertThat(other.getStatus().foreign).isEqualTo(1);
            assertThat(other.getStatus().assigned).isZero();
            assertThat(foreignCondition(other).getMessage()).contains(shared).contains("claimed by pool " + claim);
            assertThat(warnings(ns)).anySatisfy(w -> assertThat(w).contains(shared).contains("claimed by pool " + claim));
        });
    }

    private static ClusterManifest edgeCluster(String name, String pool) {
        return ClusterManifest.named(name).roles("edge").capacity(1, 1, 1).instanceType("t3.micro").poolRef(pool);
    }

    private ElasticIpPool pool(TestNamespace in, String name) {
        return client.resources(ElasticIpPool.class).inNamespace(in.name()).withName(name).get();
    }

    private static Condition foreignCondition(ElasticIpPool pool) {
        return Conditions.find(pool.getStatus().conditions, ConditionType.ForeignAddresses).orElseThrow();
    }

    private static List<String> warnings(TestNamespace in) {
        String out = in.kubectl("get", "events.events.k8s.io", "-o",
                "jsonpath={range .items[?(@.reason==\"ForeignAddress\")]}{.type} {.note}{\"\\n\"}{end}");
        return out.lines().filter(l -> l.startsWith("Warning ")).toList();
    }

    private static Address address(String allocationId) {
        return Moto.ec2().describeAddresses(b -> b.allocationIds(allocationId)).addresses().get(0);
    }

    private static String tag(String allocationId, String key) {
        return tag(address(allocationId), key);
    }

    private static String tag(Address a, String key) {
        return a.tags().stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst().orElse(null);
    }

    /** Allocation id → instance, for the addresses on running machines of a cluster (as AWS sees it). */
    private static Map<String, String> instanceByAllocation(String clusterKey) {
        Set<String> running = Moto.ec2().describeInstances(b -> b.filters(f -> f.name("tag:" + Tags.CLUSTER).values(clusterKey),
                        f -> f.name("instance-state-name").values("running")))
                .reservations().stream().flatMap(r -> r.instances().stream()).map(Instance::instanceId).collect(Collectors.toSet());
        return Moto.ec2().describeAddresses().addresses().stream().filter(a -> a.instanceId() != null && running.contains(a.instanceId()))
                .collect(Collectors.toMap(Address::allocationId, Address::instanceId, (a, b) -> a, TreeMap::new));
    }
}
