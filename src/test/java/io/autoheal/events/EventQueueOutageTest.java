package io.autoheal.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.cloud.aws.EventQueueClient;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.cluster.ClusterWakeups;
import io.autoheal.config.OperatorConfig;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Groups;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * An SQS outage (moto's fault extension fails every ReceiveMessage with 503) while a machine stops: the consumer
 * survives it, healing falls back to polling (the tests' 2 s resync stands in for production's 5 minutes) and the
 * stopped machine is replaced without a single event received; once SQS answers again the events queued meanwhile
 * flow and the consumer's metrics show the failed receives.
 */
@SandboxTest
class EventQueueOutageTest {
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("evout");

    @Inject
    KubernetesClient client;
    @Inject
    MeterRegistry registry;
    @Inject
    OperatorConfig config;
    @Inject
    EventQueueService service;
    @Inject
    ClusterWakeups wakeups;

    @AfterEach
    void cleanUp() {
        Moto.clearFaults();
        ns.kubectl("delete", "healingclusters", "--all", "--timeout=90s");
    }

    @Test
    void duringAnSqsOutageTheConsumerSurvivesAndPollingHealsThenEventsFlowAgain() {
        await().atMost(Duration.ofSeconds(15)).until(() -> service.consumer().map(EventQueueConsumer::running).orElse(false));
        ns.apply(ClusterManifest.named("out").capacity(3, 3, 4).toYaml());
        await().ignoreExceptions().atMost(Duration.ofSeconds(90)).until(() -> inService().size() == 3
                && get().getStatus().readyReplicas == 3);
        Set<String> machines = inService();
        String victim = machines.stream().sorted().findFirst().orElseThrow();

        double receiveErrors = errors("receive");
        Moto.injectFault("ReceiveMessage", "ServiceUnavailable", 503, -1);
        sendToOperatorsQueue("not an event: ends the long poll under way, so that the next receive meets the outage");
        await().atMost(Duration.ofSeconds(30)).until(() -> errors("receive") > receiveErrors);
        assertThat(wakeups.eventDriven()).as("a consumer that cannot receive does not count on events").isFalse();

        double states = received("instance_state");
        Moto.ec2().stopInstances(b -> b.instanceIds(victim));
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(inService()).doesNotContain(victim).hasSize(3);
            assertThat(get().getStatus().recentRemediations).anyMatch(r -> r.instanceId.equals(victim) && r.reason.equals("Stopped"));
        });
        assertThat(received("instance_state")).as("healed by polling: no event got through").isEqualTo(states);
        assertThat(service.consumer().orElseThrow().running()).isTrue();
        assertThat(Moto.faultHits("ReceiveMessage")).isGreaterThan(0);

        Moto.clearFaults();
        // The events queued during the outage (stopping, stopped, the replacement's launch...) arrive after the back-off.
        await().atMost(Duration.ofSeconds(40)).until(() -> received("instance_state") >= states + 2);
        await().atMost(Duration.ofSeconds(5)).until(wakeups::eventDriven);
        double failed = errors("receive");
        assertThat(failed).as("the consumer's metrics show the outage").isGreaterThan(receiveErrors);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> errors("receive") == failed);
        // The late events of the healed machine change nothing.
        assertThat(inService()).hasSize(3).doesNotContain(victim);
        assertThat(get().getStatus().recentRemediations).hasSize(1);
    }

    Set<String> inService() {
        return Groups.inService(ns, "out");
    }

    HealingCluster get() {
        return client.resources(HealingCluster.class).inNamespace(ns.name()).withName("out").get();
    }

    double received(String kind) {
        Counter c = registry.find("autoheal.events.received").tag("kind", kind).counter();
        return c == null ? 0 : c.count();
    }

    double errors(String operation) {
        Counter c = registry.find("autoheal.events.consumer.errors").tag("operation", operation).counter();
        return c == null ? 0 : c.count();
    }

    void sendToOperatorsQueue(String body) {
        String url = config.events().queueUrl().orElseThrow(() -> new IllegalStateException("no event queue: is the sandbox's env sourced?"));
        try (SqsClient sqs = EventQueueClient.build("us-east-1", Optional.of(Moto.endpoint()), 1, List.of(), List.of())) {
            sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
        }
    }
}
