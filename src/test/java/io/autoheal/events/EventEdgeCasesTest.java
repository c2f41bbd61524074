package io.autoheal.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.cloud.aws.EventQueueClient;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.RemediationRecord;
import io.autoheal.config.OperatorConfig;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Groups;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What AWS's event stream can throw at the operator, end to end (operator in-process with the sandbox's queue, resync
 * 5 minutes, so that only events make it act within a test): advice (a rebalance recommendation) is acted on, and
 * events that are stale, duplicated, out of order or no event at all change nothing — the operator re-reads AWS
 * rather than trust an event's state. Events AWS would send and moto cannot are written to the sandbox's queue in
 * AWS's shape ("EC2 Instance State-change Notification" as EventBridge delivers it to SQS), or published through the
 * moto extension's /autoheal-events.
 */
@SandboxTest
@TestProfile(EventDrivenHealingTest.SlowResync.class)
class EventEdgeCasesTest {
    /** How long "nothing happens" is watched: the operator reacts to an event in under a second (EventDrivenHealingTest). */
    static final Duration QUIET = Duration.ofSeconds(4);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("evedge");

    @Inject
    KubernetesClient client;
    @Inject
    MeterRegistry registry;
    @Inject
    OperatorConfig config;

    @AfterEach
    void removeClusters() {
        ns.kubectl("delete", "healingclusters", "--all", "--timeout=90s");
    }

    @Test
    void aRebalanceRecommendationReplacesThatOneMachineAheadOfAwsWithAnEvent() {
        Set<String> machines = settled("rebal");
        String advised = machines.stream().sorted().findFirst().orElseThrow();
        Moto.announce("rebalance-recommendation", advised);
        // Still running at AWS (a recommendation stops nothing): only the operator, following the advice, replaces it.
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(inService("rebal")).doesNotContain(advised).hasSize(3);
            assertThat(get("rebal").getStatus().recentRemediations).anyMatch(r -> r.instanceId.equals(advised)
                    && r.reason.equals("RebalanceRecommended"));
        });
        ns.awaitEvent("Remediated", advised, "RebalanceRecommended");
        // Nothing else: the other machines stay, and one replacement is all the advice costs.
        await().during(QUIET).atMost(QUIET.plusSeconds(5)).untilAsserted(() -> {
            assertThat(inService("rebal")).containsAll(machines.stream().filter(m -> !m.equals(advised)).toList()).hasSize(3);
            assertThat(get("rebal").getStatus().recentRemediations).hasSize(1);
        });
    }

    @Test
    void aStaleStoppedEventForARunningMachineAndAMalformedMessageChangeNothing() {
        Set<String> machines = settled("stale");
        String running = machines.stream().sorted().findFirst().orElseThrow();
        double states = received("instance_state");
        double malformed = malformed();
        long passes = clusterPasses();
        // "stopped" delivered after the machine was started again (or never true): the state AWS reports now counts.
        send(stateChange(running, "stopping", UUID.randomUUID()), stateChange(running, "stopped", UUID.randomUUID()),
                "<html>502 Bad Gateway</html>");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(received("instance_state")).as("the operator took both events").isEqualTo(states + 2);
            assertThat(malformed()).as("the malformed message is counted").isEqualTo(malformed + 1);
            assertThat(clusterPasses()).as("the events woke the cluster: it looked, and found the machine running").isGreaterThan(passes);
        });
        await().during(QUIET).atMost(QUIET.plusSeconds(5)).untilAsserted(() -> {
            assertThat(inService("stale")).containsExactlyInAnyOrderElementsOf(machines);
            assertThat(stateOf(running)).isEqualTo("running");
            assertThat(get("stale").getStatus().recentRemediations).isEmpty();
        });
    }

    @Test
    void aDuplicatedStoppedEventReplacesTheMachineOnceAndRunningAfterTerminatedRevivesNothing() {
        Set<String> machines = settled("dup");
        String victim = machines.stream().sorted().findFirst().orElseThrow();
        UUID stopped = UUID.randomUUID();
        double states = received("instance_state");
        Moto.ec2().stopInstances(b -> b.instanceIds(victim)); // moto publishes stopping + stopped
        send(stateChange(victim, "stopped", stopped), stateChange(victim, "stopped", stopped)); // the same event twice more
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(inService("dup")).doesNotContain(victim).hasSize(3);
            assertThat(received("instance_state")).isGreaterThanOrEqualTo(states + 4);
        });
        Set<String> afterHeal = inService("dup");
        // Out of order: "pending" and "running" of the terminated machine, delivered after its "terminated".
        double now = received("instance_state");
        send(stateChange(victim, "pending", UUID.randomUUID()), stateChange(victim, "running", UUID.randomUUID()),
                stateChange(victim, "stopped", stopped));
        await().atMost(Duration.ofSeconds(30)).until(() -> received("instance_state") >= now + 3);
        await().during(QUIET).atMost(QUIET.plusSeconds(5)).untilAsserted(() -> {
            assertThat(inService("dup")).as("the replacement and the others stay").containsExactlyInAnyOrderElementsOf(afterHeal);
            assertThat(stateOf(victim)).isEqualTo("terminated");
            HealingCluster hc = get("dup");
            assertThat(hc.getStatus().recentRemediations).as("one replacement for one stopped machine")
                    .extracting((RemediationRecord r) -> r.instanceId).containsExactly(victim);
            assertThat(hc.getStatus().instances).noneMatch(r -> r.instanceId.equals(victim) && "running".equals(r.state));
            assertThat(Groups.of(ns, "dup").desiredCapacity()).isEqualTo(3);
        });
    }

    /** A 3-machine cluster, Ready; its machines. */
    Set<String> settled(String name) {
        ns.apply(ClusterManifest.named(name).capacity(3, 3, 4).toYaml());
        await().ignoreExceptions().atMost(Duration.ofSeconds(90)).until(() -> inService(name).size() == 3
                && get(name).getStatus().readyReplicas == 3);
        return inService(name);
    }

    Set<String> inService(String cluster) {
        return Groups.inService(ns, cluster);
    }

    HealingCluster get(String name) {
        return client.resources(HealingCluster.class).inNamespace(ns.name()).withName(name).get();
    }

    static String stateOf(String instanceId) {
        return Moto.ec2().describeInstances(b -> b.instanceIds(instanceId)).reservations().get(0).instances().get(0).state().nameAsString();
    }

    double received(String kind) {
        Counter c = registry.find("autoheal.events.received").tag("kind", kind).counter();
        return c == null ? 0 : c.count();
    }

    double malformed() {
        Counter c = registry.find("autoheal.events.malformed").counter();
        return c == null ? 0 : c.count();
    }

    /** Reconcile passes of HealingClusters so far (at a 5-minute resync, only events and our changes cause them). */
    long clusterPasses() {
        io.micrometer.core.instrument.Timer t = registry.find("autoheal.reconciliation").tag("controller", "healingcluster").timer();
        return t == null ? 0 : t.count();
    }

    /** An EC2 state change as EventBridge delivers it to SQS (EC2 User Guide, "State change events"); same id = same event. */
    static String stateChange(String instanceId, String state, UUID id) {
        return """
                {"version": "0", "id": "%s", "detail-type": "EC2 Instance State-change Notification", "source": "aws.ec2",
                 "account": "123456789012", "time": "%s", "region": "us-east-1",
                 "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/%s"],
                 "detail": {"instance-id": "%s", "state": "%s"}}""".formatted(id, Instant.now().toString().replaceAll("\\.\\d+Z$", "Z"),
                instanceId, instanceId, state);
    }

    /** Writes messages to the queue the operator consumes (the sandbox's), as EventBridge would. */
    void send(String... bodies) {
        String url = config.events().queueUrl().orElseThrow(() -> new IllegalStateException("no event queue: is the sandbox's env sourced?"));
        try (SqsClient sqs = EventQueueClient.build("us-east-1", Optional.of(Moto.endpoint()), 1, List.of(), List.of())) {
            for (String body : bodies) {
                sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
            }
        }
    }
}
