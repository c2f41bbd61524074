package io.autoheal.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Groups;
import io.autoheal.testing.Manifest;
import io.autoheal.testing.Moto;
import io.autoheal.testing.PoolManifest;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Healing driven by AWS's events, not by polling: with a resync of 5 minutes (the recommended setting with a queue),
 * a machine stopped behind the operator's back is replaced within seconds — moto publishes the EC2 state change to
 * EventBridge and the sandbox's SQS queue (sandbox/moto/autoheal_moto_events.py), the consumer marks the instance's
 * group stale in the inventory and wakes its cluster. Without the event nothing would look for five minutes.
 */
@SandboxTest
@TestProfile(EventDrivenHealingTest.SlowResync.class)
class EventDrivenHealingTest {
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("events");

    @Inject
    KubernetesClient client;

    /** The resync of an operator that has an event queue: a safety net, minutes apart. */
    public static class SlowResync implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("autoheal.resync-interval", "5m");
        }
    }

    @AfterEach
    void removeClusters() {
        ns.kubectl("delete", "healingclusters,elasticippools", "--all", "--timeout=90s");
    }

    Set<String> inService(String cluster) {
        return Groups.inService(ns, cluster);
    }

    HealingCluster get(String name) {
        return client.resources(HealingCluster.class).inNamespace(ns.name()).withName(name).get();
    }

    @Test
    void aStoppedMachineIsReplacedWithinSecondsThoughTheResyncIsFiveMinutes() {
        ns.apply(ClusterManifest.named("evt").capacity(3, 3, 4).toYaml());
        await().ignoreExceptions().atMost(Duration.ofSeconds(90)).until(() -> inService("evt").size() == 3
                && get("evt").getStatus().readyReplicas == 3);
        String victim = inService("evt").stream().sorted().findFirst().orElseThrow();
        Instant stopped = Instant.now();
        Moto.ec2().stopInstances(b -> b.instanceIds(victim));
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(inService("evt")).doesNotContain(victim));
        Duration reaction = Duration.between(stopped, Instant.now());
        System.out.println("[events] stopped " + victim + " -> terminated by the operator in " + reaction.toMillis() + " ms");
        assertThat(get("evt").getStatus().recentRemediations).anyMatch(r -> r.instanceId.equals(victim) && r.reason.equals("Stopped"));
        assertThat(reaction).as("far inside the 5-minute resync").isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aSpotInterruptionWarningReplacesTheMachineBeforeAwsTakesIt() {
        ns.apply(ClusterManifest.named("spot").capacity(3, 3, 4).toYaml());
        await().ignoreExceptions().atMost(Duration.ofSeconds(90)).until(() -> inService("spot").size() == 3
                && get("spot").getStatus().readyReplicas == 3);
        String warned = inService("spot").stream().sorted().findFirst().orElseThrow();
        Moto.announce("spot-interruption", warned);
        // Still running at AWS (nothing stops it in moto): only the operator, acting on the warning, replaces it.
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(inService("spot")).doesNotContain(warned);
            assertThat(get("spot").getStatus().recentRemediations).anyMatch(r -> r.instanceId.equals(warned)
                    && r.reason.equals("SpotInterruption"));
        });
        ns.awaitEvent("Remediated", warned, "SpotInterruption");
    }

    /**
     * AWS usually sends a rebalance recommendation before the Spot interruption warning: the warning must win (issue 23;
     * a first-notice-wins store kept the advice and dropped the warning). The cluster is paused while both arrive, so the
     * advice cannot be acted on before the warning follows, and its status shows which notice the operator holds; once
     * resumed, the machine is replaced as an interruption, ahead of AWS.
     */
    @Test
    void anInterruptionWarningAfterARebalanceRecommendationWins() {
        ns.apply(ClusterManifest.named("advised").capacity(1, 1, 2).toYaml());
        await().ignoreExceptions().atMost(Duration.ofSeconds(90)).until(() -> inService("advised").size() == 1
                && get("advised").getStatus().readyReplicas == 1);
        String warned = inService("advised").iterator().next();
        ns.apply(ClusterManifest.named("advised").capacity(1, 1, 2).paused(true).toYaml());
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() -> "Paused".equals(ns.kubectl("get", "hc", "advised", "-o",
                "jsonpath={.status.conditions[?(@.type==\"Progressing\")].reason}")));
        Moto.announce("rebalance-recommendation", warned);
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(get("advised").getStatus().instances).singleElement().extracting(r -> r.reason).isEqualTo("RebalanceRecommended"));
        Moto.announce("spot-interruption", warned);
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(get("advised").getStatus().instances).singleElement().extracting(r -> r.reason).isEqualTo("SpotInterruption"));
        assertThat(inService("advised")).as("paused: nothing acted yet").containsExactly(warned);

        ns.apply(ClusterManifest.named("advised").capacity(1, 1, 2).toYaml());
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(inService("advised")).doesNotContain(warned);
            assertThat(get("advised").getStatus().recentRemediations).singleElement().satisfies(r -> {
                assertThat(r.instanceId).isEqualTo(warned);
                assertThat(r.reason).isEqualTo("SpotInterruption");
            });
        });
    }

    /**
     * The operator's own share of a heal, measured (three heals in a row, one machine at a time): from the stop to the
     * replacement holding its predecessor's Elastic IP, and to the cluster Ready again with it. moto launches the
     * replacement inside the operator's TerminateInstanceInAutoScalingGroup call (AWS takes tens of seconds, which
     * then is AWS's share), so every millisecond here is the operator's: the event's way through SQS, its AWS calls
     * and Kubernetes writes, the cluster's and the pool's passes. Sampled every 100 ms (±100 ms); each step is printed.
     * The goal (under 2 s) is measured, not asserted: on a shared 2-core machine a pass takes ten times longer. What is
     * asserted is that events drive every step: the next look after an action would otherwise come only from the
     * 15 s safety net (Requeue.AFTER_ACTION_WITH_EVENTS) or the 5-minute resync.
     */
    @Test
    void aReplacementHoldsItsPredecessorsAddressWithinSecondsOfTheStop() {
        ns.apply(Manifest.join(PoolManifest.named("ips").allocate(3), ClusterManifest.named("heal").capacity(3, 3, 3).poolRef("ips")));
        String key = ns.name() + "/heal";
        java.util.List<Long> toAddress = new java.util.ArrayList<>();
        java.util.List<Long> toReady = new java.util.ArrayList<>();
        for (int round = 0; round < 3; round++) {
            await().ignoreExceptions().atMost(Duration.ofSeconds(90)).until(() -> inService("heal").size() == 3
                    && get("heal").getStatus().readyReplicas == 3 && Addresses.held(key).size() == 3);
            long[] took = healOne(key);
            toAddress.add(took[1]);
            toReady.add(took[2]);
        }
        java.util.Collections.sort(toAddress);
        java.util.Collections.sort(toReady);
        System.out.printf("[events] stop to the replacement holding its predecessor's address: %s ms (median %d); to Ready: %s ms (median %d)%n",
                toAddress, toAddress.get(1), toReady, toReady.get(1));
        assertThat(toReady.get(2)).as("worst, stop to Ready with the replacement (ms): sooner than any fallback").isLessThan(10_000L);
    }

    /**
     * Stops one machine of the cluster; ms from the stop to: its termination (the operator's reaction to the event), the
     * replacement in the cluster's status (the cluster's pass after the launch event), the address freed from the
     * terminated machine (the pool's first pass), the address on the replacement (the pool's next pass), Ready.
     */
    long[] healOne(String key) {
        String victim = inService("heal").stream().sorted().findFirst().orElseThrow();
        String address = Addresses.held(key).get(victim);
        Set<String> before = inService("heal");
        long t0 = System.nanoTime();
        Moto.ec2().stopInstances(b -> b.instanceIds(victim));
        long[] at = new long[5];
        String[] replacement = new String[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            long now = System.nanoTime();
            Set<String> members = inService("heal");
            if (at[0] == 0 && !members.contains(victim)) {
                at[0] = now;
            }
            HealingCluster hc = get("heal");
            if (at[1] == 0 && hc.getStatus().instances.stream().anyMatch(r -> !before.contains(r.instanceId))) {
                at[1] = now;
            }
            String holder = Addresses.holder(address);
            if (at[2] == 0 && !victim.equals(holder)) {
                at[2] = now;
            }
            if (at[3] == 0 && holder != null && !holder.equals(victim)) {
                at[3] = now;
                replacement[0] = holder;
            }
            if (at[3] != 0 && at[4] == 0 && hc.getStatus().readyReplicas == 3
                    && hc.getStatus().instances.stream().anyMatch(r -> r.instanceId.equals(replacement[0]) && address.equals(r.eipAllocationId))) {
                at[4] = now;
            }
            return at[4] != 0;
        });
        assertThat(before).as("the predecessor's address went to the new machine").doesNotContain(replacement[0]);
        long[] ms = new long[5];
        for (int i = 0; i < 5; i++) {
            ms[i] = (at[i] - t0) / 1_000_000;
        }
        System.out.printf("[events] heal of %s: terminated %d ms, replacement %s in the status %d ms, address freed %d ms, on the replacement %d ms,"
                + " Ready %d ms%n", victim, ms[0], replacement[0], ms[1], ms[2], ms[3], ms[4]);
        return new long[] {ms[0], ms[3], ms[4]};
    }

    /** Elastic IPs on a cluster's running machines, by instance (moto answers an empty instance id when unassociated). */
    static final class Addresses {
        /** The instance an address is on, null if none. */
        static String holder(String allocationId) {
            String i = Moto.ec2().describeAddresses(b -> b.allocationIds(allocationId)).addresses().get(0).instanceId();
            return i == null || i.isBlank() ? null : i;
        }

        static Map<String, String> held(String clusterKey) {
            Set<String> running = Moto.ec2().describeInstances(b -> b.filters(f -> f.name("tag:autoheal.io/cluster").values(clusterKey),
                            f -> f.name("instance-state-name").values("running"))).reservations().stream()
                    .flatMap(r -> r.instances().stream()).map(i -> i.instanceId()).collect(java.util.stream.Collectors.toSet());
            Map<String, String> held = new java.util.HashMap<>();
            Moto.ec2().describeAddresses().addresses().stream().filter(a -> running.contains(a.instanceId()))
                    .forEach(a -> held.put(a.instanceId(), a.allocationId()));
            return held;
        }
    }
}
