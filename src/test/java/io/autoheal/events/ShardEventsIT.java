package io.autoheal.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.cloud.aws.EventQueueClient;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Groups;
import io.autoheal.testing.Manifest;
import io.autoheal.testing.Moto;
import io.autoheal.testing.OperatorProcess;
import io.autoheal.testing.TestNamespace;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Two packaged operators, shards a and b, each with its own SQS queue (tagged autoheal.io/queue-for with its shard),
 * and the sandbox's EventBridge rules (deploy/aws/event-rules.json) targeting both queues: every shard receives every
 * event. With a resync of 5 minutes, a machine stopped in each shard's cluster is replaced within seconds by its own
 * shard — neither shard swallows the other's events — and both queues end empty (each deleted what it read).
 */
class ShardEventsIT {
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("shard-events");
    static final List<String> RULES = List.of("autoheal-ec2-instances", "autoheal-autoscaling", "autoheal-health-ec2-scheduled");
    static SqsClient sqs;

    @BeforeAll
    static void client() {
        io.autoheal.testing.Kubectl.run("apply", "--server-side", "--force-conflicts", "-f",
                io.autoheal.testing.Sandbox.root().resolve("crds").toString());
        io.autoheal.testing.Kubectl.awaitCrdsEstablished();
        sqs = EventQueueClient.build("us-east-1", Optional.of(Moto.endpoint()), 1, List.of(), List.of());
    }

    @AfterAll
    static void cleanUp() throws Exception {
        try (OperatorProcess a = shard("a", "", "30s"); OperatorProcess b = shard("b", "", "30s")) {
            ns.kubectl("delete", "healingclusters", "--all", "--timeout=120s");
        }
        sqs.close();
    }

    static OperatorProcess shard(String shard, String queueUrl, String resync) throws Exception {
        return OperatorProcess.start("shard-events-" + shard, Map.of("AUTOHEAL_SHARD", shard, "AUTOHEAL_WATCH_NAMESPACES", ns.name(),
                "AUTOHEAL_EVENTS_QUEUE_URL", queueUrl, "AUTOHEAL_RESYNC_INTERVAL", resync));
    }

    /** A queue of one shard, tagged so (untagged: shard ""), and a target of every sandbox rule; returns its URL. */
    static String queueOf(String shard) {
        String name = "autoheal-" + (shard.isEmpty() ? "shared" : shard) + "-" + UUID.randomUUID().toString().substring(0, 8);
        String url = sqs.createQueue(b -> b.queueName(name).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "5"))
                .tags(shard.isEmpty() ? Map.of() : Map.of(EventRouting.QUEUE_TAG, shard))).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        RULES.forEach(rule -> EventQueueConsumerTest.events("PutTargets", """
                {"Rule": "%s", "Targets": [{"Id": "%s", "Arn": "%s"}]}""".formatted(rule, name, arn)));
        return url;
    }

    /** autoheal_events_left_total of a running operator. */
    static double left(OperatorProcess op) throws Exception {
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + op.port() + "/q/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith("autoheal_events_left_total")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    static int messages(String url) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Test
    void eachShardHealsItsOwnClusterFromItsOwnQueue() throws Exception {
        Moto.reset(); // the sandbox's rules again, with only the sandbox's queue as target
        String queueA = queueOf("a");
        String queueB = queueOf("b");
        healBothFromEvents("alpha", "beta", queueA, queueB);
    }

    /**
     * The misconfiguration: both shards on one untagged queue. Each deletes only what is its own and leaves the other's
     * messages for it (autoheal_events_left_total), so both clusters still heal from events, and the queue still drains.
     */
    @Test
    void onASharedQueueNeitherShardLosesTheOthersEvents() throws Exception {
        Moto.reset();
        String shared = queueOf("");
        healBothFromEvents("gamma", "delta", shared, shared);
    }

    void healBothFromEvents(String clusterA, String clusterB, String queueA, String queueB) throws Exception {
        ns.apply(Manifest.join(
                ClusterManifest.named(clusterA).label("autoheal.io/shard", "a").capacity(1, 1, 2),
                ClusterManifest.named(clusterB).label("autoheal.io/shard", "b").capacity(1, 1, 2)));
        String alpha = clusterA;
        String beta = clusterB;
        boolean shared = queueA.equals(queueB);
        try (OperatorProcess a = shard("a", queueA, "5m"); OperatorProcess b = shard("b", queueB, "5m")) {
            await().ignoreExceptions().atMost(Duration.ofSeconds(360)).untilAsserted(() -> {
                assertThat(Groups.inService(ns, alpha)).hasSize(1);
                assertThat(Groups.inService(ns, beta)).hasSize(1);
                assertThat(ns.kubectl("get", "hc", alpha, beta, "-o", "jsonpath={.items[*].status.conditions[?(@.type==\"Ready\")].status}"))
                        .isEqualTo("True True");
            });
            String alphaVictim = Groups.inService(ns, alpha).iterator().next();
            String betaVictim = Groups.inService(ns, beta).iterator().next();

            Moto.ec2().stopInstances(r -> r.instanceIds(alphaVictim, betaVictim));
            await().ignoreExceptions().atMost(Duration.ofSeconds(shared ? 90 : 45)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                assertThat(Groups.inService(ns, alpha)).as("shard a replaced its machine").doesNotContain(alphaVictim);
                assertThat(Groups.inService(ns, beta)).as("shard b replaced its machine").doesNotContain(betaVictim);
            });
            // EventRouting.MAX_RECEIVES (10) receives at most of a message nobody owns, 5 s apart (the visibility timeout)
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                assertThat(messages(queueA)).as("shard a's queue drained").isZero();
                assertThat(messages(queueB)).as("shard b's queue drained").isZero();
            });
            String mode = shared ? "a queue other consumers may read" : "this operator's own queue";
            assertThat(a.log()).contains(mode).doesNotContain("/" + beta);
            assertThat(b.log()).contains(mode).doesNotContain("/" + alpha);
            if (shared) {
                assertThat(left(a) + left(b)).as("messages one shard left for the other").isPositive();
            }
        }
    }
}
