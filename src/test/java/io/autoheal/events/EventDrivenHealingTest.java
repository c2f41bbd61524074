package io.autoheal.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Groups;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxResource;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
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
@QuarkusTest
@TestProfile(EventDrivenHealingTest.SlowResync.class)
@QuarkusTestResource(SandboxResource.class)
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
        ns.kubectl("delete", "healingclusters", "--all", "--timeout=90s");
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
        assertThat(ns.kubectl("get", "events", "--field-selector", "reason=Remediated")).contains(warned).contains("SpotInterruption");
    }
}
