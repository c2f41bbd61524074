package io.autoheal.events;

import io.autoheal.fleet.AwsScope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.cluster.AwsNotices;
import io.autoheal.cluster.ClusterWakeups;
import io.autoheal.config.OperatorConfig;
import io.autoheal.fleet.EventQueue;
import io.autoheal.fleet.InventoryInvalidation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Issue 23: a replica that does not hold the Lease takes nothing from the queue; once it leads, it consumes. */
class EventQueueLeadershipTest {
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger received = new AtomicInteger();
    final AtomicInteger deleted = new AtomicInteger();

    EventQueue queue() {
        return new EventQueue() {
            @Override
            public String url() {
                return "https://sqs.eu-west-1.amazonaws.com/111122223333/autoheal-events";
            }

            @Override
            public List<Message> receive(int maxMessages, int waitSeconds) {
                received.incrementAndGet();
                try {
                    Thread.sleep(20); // a (short) long poll
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return List.of(new Message("m-" + received.get(), "r", "{}"));
            }

            @Override
            public List<String> delete(List<Message> messages) {
                deleted.addAndGet(messages.size());
                return List.of();
            }

            @Override
            public Map<String, String> tags() {
                return Map.of();
            }

            @Override
            public long waiting() {
                return 0;
            }

            @Override
            public void close() {
            }
        };
    }

    static OperatorConfig config() {
        return new SmallRyeConfigBuilder().withMapping(OperatorConfig.class)
                .withSources(new PropertiesConfigSource(Map.of("autoheal.events.queue-url",
                        "https://sqs.eu-west-1.amazonaws.com/111122223333/autoheal-events"), "test", 500))
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter()).build()
                .getConfigMapping(OperatorConfig.class);
    }

    @Test
    void aFollowerNeitherReceivesNorDeletesAndTheLeaderDoes() {
        OperatorConfig config = config();
        InventoryInvalidation inventory = new InventoryInvalidation() {
            public java.util.Set<AwsScope> scopes() {
                return java.util.Set.of();
            }

            public Optional<String> clusterOfInstance(AwsScope scope, String instanceId) {
                return Optional.empty();
            }

            public Optional<String> clusterOfGroup(AwsScope scope, String asgName) {
                return Optional.empty();
            }

            public boolean synced(AwsScope scope) {
                return true;
            }

            public void instanceChanged(AwsScope scope, String instanceId) {
            }

            public void groupChanged(AwsScope scope, String asgName) {
            }
        };
        ClusterWakeups wakeups = new ClusterWakeups();
        InventoryEventSink sink = new InventoryEventSink(inventory, wakeups, new AwsNotices(Clock.systemUTC()), config);
        AtomicBoolean leading = new AtomicBoolean(false);
        EventQueueService service = new EventQueueService(config, sink, new SimpleMeterRegistry(), url -> {
            opened.incrementAndGet();
            return queue();
        }, wakeups, leading::get);
        try {
            service.onStart(null);
            await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() -> opened.get() == 0 && received.get() == 0);
            assertThat(deleted.get()).isZero();
            assertThat(service.consumer()).isEmpty();

            leading.set(true);
            await().atMost(Duration.ofSeconds(10)).until(() -> received.get() > 0 && deleted.get() > 0);
            assertThat(opened.get()).isEqualTo(1);
        } finally {
            service.onStop(null);
        }
    }
}
