package io.autoheal.eip;

import io.autoheal.fleet.AwsScope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.HealingCluster;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Two extra deciders race the operator's own pool reconciler on one shared pool while machines are killed —
 * as two operator replicas would without leader election. AllowReassociation=false must keep it safe: once the
 * racing stops and the pool settles, every address is on at most one machine, no machine holds two, and every
 * running machine has one.
 */
@SandboxTest
class PoolRaceTest {
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("race");

    @Inject
    KubernetesClient client;
    @Inject
    PoolObserver observer;
    @Inject
    PoolActuator actuator;

    @AfterAll
    static void cleanUp() {
        ns.kubectl("delete", "healingclusters,elasticippools", "--all", "--timeout=90s");
    }

    @Test
    void racingDecidersNeverPutOneAddressOnTwoMachines() throws Exception {
        Moto.reset();
        ClusterManifest red = ClusterManifest.named("red").roles("edge").capacity(3, 3, 3).instanceType("t3.micro").poolRef("contested");
        ClusterManifest blue = ClusterManifest.named("blue").roles("edge").capacity(3, 3, 3).instanceType("t3.micro").poolRef("contested");
        ns.apply(Manifest.join(PoolManifest.named("contested").allocate(6), red, blue));
        List<String> clusters = List.of(ns.name() + "/red", ns.name() + "/blue");
        await().ignoreExceptions().atMost(Duration.ofSeconds(60)).until(() -> running(clusters).size() == 6);

        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService racers = Executors.newFixedThreadPool(2);
        List<Future<Integer>> passes = new ArrayList<>();
        List<java.util.concurrent.atomic.AtomicInteger> ran = List.of(new java.util.concurrent.atomic.AtomicInteger(),
                new java.util.concurrent.atomic.AtomicInteger());
        for (int r = 0; r < 2; r++) {
            java.util.concurrent.atomic.AtomicInteger mine = ran.get(r);
            passes.add(racers.submit(() -> {
                int n = 0;
                while (!stop.get()) {
                    ElasticIpPool pool = client.resources(ElasticIpPool.class).inNamespace(ns.name()).withName("contested").get();
                    List<HealingCluster> members = observer.clusters(pool,
                            client.resources(HealingCluster.class).inNamespace(ns.name()).list().getItems(), AwsScope.own("us-east-1"), "us-east-1");
                    var addresses = observer.addresses(pool, AwsScope.own("us-east-1"), io.autoheal.fleet.Installations.LEGACY);
                    AllocationPlan plan = AddressAllocator.plan(PoolInputs.addresses(addresses, PoolClaim.of("default", pool)),
                            PoolInputs.candidates(observer.instances(AwsScope.own("us-east-1"), members), members, addresses));
                    actuator.execute(pool, AwsScope.own("us-east-1"), plan, members, PoolClaim.of("default", pool));
                    n++;
                    mine.incrementAndGet();
                }
                return n;
            }));
        }
        for (int kill = 0; kill < 4; kill++) {
            List<String> victims = running(clusters).keySet().stream().sorted().limit(1).toList();
            Moto.ec2().terminateInstances(b -> b.instanceIds(victims));
            Thread.sleep(2500);
        }
        // on a loaded machine a pass can take seconds: race on until each decider has made 3 passes over the kills' aftermath
        await().atMost(Duration.ofSeconds(60)).until(() -> ran.stream().allMatch(n -> n.get() >= 3));
        stop.set(true);
        racers.shutdown();
        assertThat(racers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        int total = 0;
        for (Future<Integer> f : passes) {
            total += f.get();
        }
        assertThat(total).as("racing passes actually ran").isGreaterThan(4);

        await().ignoreExceptions().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            Map<String, String> runningInstances = running(clusters);
            assertThat(runningInstances).hasSize(6);
            List<Address> associated = Moto.ec2().describeAddresses(b -> b.filters(f -> f.name("tag:autoheal.io/pool")
                    .values(ns.name() + "/contested"))).addresses().stream().filter(a -> a.instanceId() != null).toList();
            Map<String, Long> perInstance = associated.stream().collect(Collectors.groupingBy(Address::instanceId, Collectors.counting()));
            assertThat(perInstance.values()).as("no machine holds two addresses").allMatch(n -> n == 1);
            assertThat(perInstance.keySet()).as("every running machine has one").containsAll(runningInstances.keySet());
        });
    }

    private static Map<String, String> running(List<String> clusters) {
        Map<String, String> out = new HashMap<>();
        Moto.ec2().describeInstances(b -> b.filters(f -> f.name("tag:autoheal.io/cluster").values(clusters),
                        f -> f.name("instance-state-name").values("running")))
                .reservations().forEach(r -> {
                    for (Instance i : r.instances()) {
                        out.put(i.instanceId(), i.state().nameAsString());
                    }
                });
        return out;
    }
}
