package io.autoheal.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.cloud.aws.EventQueueClient;
import io.autoheal.cloud.aws.SqsEventQueue;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The consumer against the sandbox's moto (sandbox/moto/autoheal_moto_events.py publishes EC2 and Auto Scaling events
 * to EventBridge and SQS): each test has its own queue and rule, so the sandbox's queue (consumed by whatever
 * operator runs) is not involved. The client is the production one (EventQueueClient), without SDK retries so that
 * injected faults reach the consumer.
 */
@Tag(SandboxTest.TAG)
class EventQueueConsumerTest {
    static final EventQueueConsumer.Settings FAST = new EventQueueConsumer.Settings(1, 10, Duration.ofMillis(50), Duration.ofMillis(200),
            Duration.ofMillis(200));

    final ConcurrentLinkedQueue<FleetEvent> sunk = new ConcurrentLinkedQueue<>();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final EventMetrics metrics = new EventMetrics(registry);
    SqsClient sqs;
    String queueUrl;
    String rule;
    EventQueueConsumer consumer;

    @BeforeEach
    void queueAndRule() {
        Moto.clearFaults();
        sqs = EventQueueClient.build("us-east-1", Optional.of(Moto.endpoint()), 1, List.of(), List.of());
        String name = "autoheal-test-" + UUID.randomUUID().toString().substring(0, 8);
        // visibility 1 s: a message taken but not deleted comes back within the test (AWS's default is 30 s)
        queueUrl = sqs.createQueue(b -> b.queueName(name).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1"))).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        rule = name;
        events("PutRule", """
                {"Name": "%s", "EventPattern": "{\\"source\\": [\\"aws.ec2\\", \\"aws.autoscaling\\", \\"aws.health\\"]}", "State": "ENABLED"}"""
                .formatted(rule));
        events("PutTargets", """
                {"Rule": "%s", "Targets": [{"Id": "q", "Arn": "%s"}]}""".formatted(rule, arn));
    }

    @AfterEach
    void cleanUp() {
        if (consumer != null) {
            consumer.close();
        }
        Moto.clearFaults();
        events("RemoveTargets", "{\"Rule\": \"%s\", \"Ids\": [\"q\"]}".formatted(rule));
        events("DeleteRule", "{\"Name\": \"%s\"}".formatted(rule));
        sqs.deleteQueue(b -> b.queueUrl(queueUrl));
        sqs.close();
    }

    EventQueueConsumer start(Consumer<FleetEvent> sink) {
        consumer = new EventQueueConsumer(new SqsEventQueue(sqs, queueUrl), sink, metrics, FAST);
        consumer.start();
        return consumer;
    }

    @Test
    void eventsTheExtensionPublishesReachTheSinkAndLeaveTheQueue() {
        start(sunk::add);
        String iid = Moto.ec2().runInstances(b -> b.imageId("ami-12c6146b").minCount(1).maxCount(1)).instances().get(0).instanceId();
        Moto.ec2().stopInstances(b -> b.instanceIds(iid));
        publish("{\"kind\": \"spot-interruption\", \"instanceId\": \"%s\"}".formatted(iid));
        publish("{\"kind\": \"scheduled-change\", \"instanceIds\": [\"%s\"]}".formatted(iid));

        await().atMost(Duration.ofSeconds(15)).until(() -> sunk.size() >= 6);
        List<String> states = sunk.stream().filter(e -> e instanceof FleetEvent.InstanceStateChanged)
                .map(e -> ((FleetEvent.InstanceStateChanged) e).state()).toList();
        assertThat(states).containsExactlyInAnyOrder("pending", "running", "stopping", "stopped");
        assertThat(sunk).filteredOn(e -> e instanceof FleetEvent.SpotInterruption).singleElement()
                .satisfies(e -> assertThat(e.instanceIds()).containsExactly(iid));
        assertThat(sunk).filteredOn(e -> e instanceof FleetEvent.ScheduledChange).singleElement()
                .satisfies(e -> assertThat(e.instanceIds()).containsExactly(iid));
        assertThat(sunk).allSatisfy(e -> assertThat(e.region()).contains("us-east-1"));
        assertThat(metrics.receivedCount("instance_state")).isEqualTo(4);
        assertThat(metrics.receivedCount("spot_interruption")).isEqualTo(1);
        assertThat(metrics.receivedCount("scheduled_change")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(messagesInQueue()).as("visible + in flight").isZero());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(metrics.errorCount("receive") + metrics.errorCount("delete")).isZero());
    }

    @Test
    void malformedMessagesAreCountedAndDeletedAndNeverReachTheSink() {
        start(sunk::add);
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("<html>not an event</html>"));
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"Type\": \"Notification\", \"Message\": \"{}\"}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.malformedCount() == 2);
        // deleted, not merely hidden: the queue's 1 s visibility timeout would have brought them back by now
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(messagesInQueue()).isZero();
            assertThat(metrics.malformedCount()).isEqualTo(2);
        });
        assertThat(sunk).isEmpty();
    }

    @Test
    void anSqsOutageIsCountedAndSurvivedAndEventsFlowAgainAfterIt() {
        Moto.injectFault("ReceiveMessage", "ServiceUnavailable", 503, -1);
        start(sunk::add);
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.errorCount("receive") >= 5);
        assertThat(consumer.running()).isTrue();
        assertThat(consumer.receiving()).as("clusters must not count on events now").isFalse();
        String iid = Moto.ec2().runInstances(b -> b.imageId("ami-12c6146b").minCount(1).maxCount(1)).instances().get(0).instanceId();
        assertThat(sunk).isEmpty();
        Moto.clearFaults();
        await().atMost(Duration.ofSeconds(10)).until(() -> sunk.stream().anyMatch(e -> e.instanceIds().contains(iid)));
        assertThat(consumer.receiving()).isTrue();
        double errors = metrics.errorCount("receive");
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() -> metrics.errorCount("receive") == errors);
    }

    @Test
    void aFailedDeleteBringsTheEventBackAndTheDuplicateIsHandedOnLikeAnyEvent() {
        // Until this consumer has met it: the fault is global in moto, and another consumer in the JVM (the in-process
        // operator's, on the sandbox's own queue) could otherwise take a one-shot fault first.
        Moto.injectFault("DeleteMessageBatch", "ServiceUnavailable", 503, -1);
        start(sunk::add);
        String iid = Moto.ec2().runInstances(b -> b.imageId("ami-12c6146b").minCount(1).maxCount(1)).instances().get(0).instanceId();
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.errorCount("delete") >= 1);
        Moto.clearFaults();
        // pending + running, and after the visibility timeout (1 s) what was taken but not deleted comes back once more
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<String> states = sunk.stream().filter(e -> e instanceof FleetEvent.InstanceStateChanged && e.instanceIds().contains(iid))
                    .map(e -> ((FleetEvent.InstanceStateChanged) e).state()).toList();
            return states.contains("pending") && states.contains("running") && states.size() > states.stream().distinct().count();
        });
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(messagesInQueue()).isZero());
    }

    @Test
    void aSinkThatThrowsIsCountedAndTheMessageStillDeleted() {
        start(e -> {
            throw new IllegalStateException("sink bug");
        });
        Moto.ec2().runInstances(b -> b.imageId("ami-12c6146b").minCount(1).maxCount(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.errorCount("sink") == 2);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(messagesInQueue()).isZero());
        assertThat(consumer.running()).isTrue();
    }

    @Test
    void theBacklogIsSampledAndStopDoesNotWaitForTheLongPoll() {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{}"));
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{}"));
        consumer = new EventQueueConsumer(new SqsEventQueue(sqs, queueUrl), sunk::add, metrics, new EventQueueConsumer.Settings(20, 10,
                Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(100)));
        consumer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.malformedCount() == 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.waitingMessages() == 0);
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.malformedCount() == 3);
        long t0 = System.nanoTime();
        consumer.close(); // a 20 s long poll is under way now
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        assertThat(consumer.running()).isFalse();
    }

    @Test
    void backoffDoublesUpToItsMaximum() {
        var c = new EventQueueConsumer(new SqsEventQueue(sqs, queueUrl), sunk::add, metrics, EventQueueConsumer.Settings.defaults());
        assertThat(List.of(1, 2, 3, 6, 7, 50).stream().map(c::backoff).toList()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4), Duration.ofSeconds(32), Duration.ofMinutes(1), Duration.ofMinutes(1));
    }

    /** An EC2 state change for an instance nobody here owns, as EventBridge delivers it. */
    void sendForeignEvent() {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("""
                {"version": "0", "id": "%s", "detail-type": "EC2 Instance State-change Notification", "source": "aws.ec2",
                 "account": "123456789012", "time": "2026-01-01T00:00:00Z", "region": "us-east-1", "resources": [],
                 "detail": {"instance-id": "i-0another0shard", "state": "stopped"}}""".formatted(UUID.randomUUID())));
    }

    @Test
    void onASharedQueueAMessageForAnotherConsumerIsLeftUntilItsLastReceiveThenDeleted() {
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
        consumer = new EventQueueConsumer(new SqsEventQueue(sqs, queueUrl), e -> {
            seen.incrementAndGet();
            return EventRouting.Ownership.NOT_OURS;
        }, EventRouting.QueueMode.SHARED, metrics, FAST);
        consumer.start();
        sendForeignEvent();
        // left MAX_RECEIVES - 1 times (the queue's 1 s visibility timeout brings it back each time), deleted on the last
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            assertThat(seen.get()).isEqualTo(EventRouting.MAX_RECEIVES);
            assertThat(messagesInQueue()).isZero();
        });
        assertThat(metrics.leftCount()).isEqualTo(EventRouting.MAX_RECEIVES - 1);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(seen.get())
                .as("deleted, not merely hidden").isEqualTo(EventRouting.MAX_RECEIVES));
    }

    @Test
    void onItsOwnQueueAConsumerDeletesAnotherShardsMessageAtOnce() {
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
        consumer = new EventQueueConsumer(new SqsEventQueue(sqs, queueUrl), e -> {
            seen.incrementAndGet();
            return EventRouting.Ownership.NOT_OURS;
        }, EventRouting.QueueMode.DEDICATED, metrics, FAST);
        consumer.start();
        sendForeignEvent();
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.get() == 1);
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(6)).untilAsserted(() -> {
            assertThat(seen.get()).as("received once: every shard has its own copy").isEqualTo(1);
            assertThat(messagesInQueue()).isZero();
        });
        assertThat(metrics.leftCount()).isZero();
    }

    long messagesInQueue() {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** An event AWS sends and moto never will, through the extension's test endpoint. */
    static void publish(String json) {
        HttpResponse<String> r = post(Moto.endpoint().resolve("/autoheal-events"), Map.of("Content-Type", "application/json"), json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** EventBridge's JSON API on moto (no EventBridge module in the build: the operator never calls it). */
    static void events(String action, String json) {
        HttpResponse<String> r = post(Moto.endpoint(), Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", "AWSEvents." + action,
                "Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/events/aws4_request, SignedHeaders=host, Signature=0"), json);
        assertThat(r.statusCode()).as(action + ": " + r.body()).isEqualTo(200);
    }

    static HttpResponse<String> post(URI uri, Map<String, String> headers, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(b::header);
            return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
