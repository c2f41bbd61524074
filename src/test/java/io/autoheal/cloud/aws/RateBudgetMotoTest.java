package io.autoheal.cloud.aws;

import io.autoheal.fleet.AwsScope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autoheal.config.OperatorConfig;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * The request budget through {@link AwsClients} against the sandbox's moto (real wire protocol, real threads): many
 * threads reading through the EC2 and the Auto Scaling client of one region together stay within burst + rate·t
 * (counted by {@link AwsRequestMetrics}, as autoheal_aws_requests_total counts); a write and a priority read are
 * served while bulk reads queue for tokens; an attempt that cannot get a token in time fails without reaching AWS.
 * Without the budget the same eight threads made 81 calls/s against moto on a loaded 2-core machine (four times the
 * bound of the first test), so each bound can fail.
 */
@Tag(SandboxTest.TAG)
class RateBudgetMotoTest {
    static final String REGION = "us-east-1";
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final AwsRequestMetrics requests = new AwsRequestMetrics(registry);
    AwsClients clients;
    ExecutorService threads;

    AwsClients clients(Map<String, String> limits) {
        SmallRyeConfigBuilder b = new SmallRyeConfigBuilder().withMapping(OperatorConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withDefaultValue("autoheal.region", REGION)
                .withDefaultValue("autoheal.aws.endpoint-override", Moto.endpoint().toString());
        limits.forEach((k, v) -> b.withDefaultValue("autoheal.aws.rate-limit." + k, v));
        OperatorConfig config = b.build().getConfigMapping(OperatorConfig.class);
        clients = new AwsClients(config, requests, new AwsAttemptMetrics(registry), new AwsRateBudgets(config, registry));
        return clients;
    }

    @AfterEach
    void close() throws Exception {
        if (threads != null) {
            threads.shutdownNow();
            threads.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (clients != null) {
            clients.close();
        }
    }

    double waitSeconds(String category) {
        return registry.get("autoheal.aws.rate.wait").tag("region", REGION).tag("category", category).timer().totalTime(TimeUnit.SECONDS);
    }

    long waits(String category) {
        return registry.get("autoheal.aws.rate.wait").tag("region", REGION).tag("category", category).timer().count();
    }

    /** Eight threads read as fast as they can, alternately through the EC2 and the Auto Scaling client, until stopped. */
    List<Future<Integer>> flood(AwsClients aws, AtomicBoolean stop) {
        threads = Executors.newFixedThreadPool(8);
        List<Future<Integer>> readers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            readers.add(threads.submit(() -> {
                int n = 0;
                while (!stop.get()) {
                    if (n++ % 2 == 0) {
                        aws.ec2(AwsScope.own(REGION)).describeAddresses();
                    } else {
                        aws.autoScaling(AwsScope.own(REGION)).describeAutoScalingGroups(r -> r.maxRecords(1));
                    }
                }
                return n;
            }));
        }
        return readers;
    }

    @Test
    void readsFromManyThreadsThroughBothClientsStayWithinBurstPlusRateTimesT() throws Exception {
        // 20 reads/s, 10 in the bucket of which bulk reads may use 6
        AwsClients aws = clients(Map.of("reads-per-second", "20", "reads-burst", "10", "reads-reserve", "4"));
        aws.ec2(AwsScope.own(REGION)).describeAddresses(); // clients built and connected before the clock starts
        aws.autoScaling(AwsScope.own(REGION)).describeAutoScalingGroups(r -> r.maxRecords(1));
        long before = requests.total();
        AtomicBoolean stop = new AtomicBoolean();
        long start = System.nanoTime();
        List<Future<Integer>> readers = flood(aws, stop);
        Thread.sleep(2_500);
        stop.set(true);
        for (Future<Integer> r : readers) {
            r.get(30, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long calls = requests.total() - before;
        double bound = 6 + 20 * seconds;
        System.out.printf("[rate-budget] %d reads in %.2f s from 8 threads (bound %.1f; %.1f/s), waited %.1f s in total%n",
                calls, seconds, bound, calls / seconds, waitSeconds("read"));
        assertThat((double) calls).as("reads within burst + rate * t").isLessThanOrEqualTo(bound);
        assertThat((double) calls).as("the budget lets its rate through (it does not just block)").isGreaterThanOrEqualTo(0.6 * 20 * seconds);
        assertThat(requests.count("DescribeAddresses")).as("both clients spent the one budget").isPositive();
        assertThat(requests.count("DescribeAutoScalingGroups")).isPositive();
        assertThat(waitSeconds("read")).as("the readers queued for tokens").isGreaterThan(1.0);
    }

    @Test
    void aWriteAndAPriorityReadAreServedWhileBulkReadsQueue() throws Exception {
        // 5 reads/s with 2 usable by bulk reads: eight readers queue about 1.6 s each; writes have their own bucket.
        AwsClients aws = clients(Map.of("reads-per-second", "5", "reads-burst", "6", "reads-reserve", "4",
                "writes-per-second", "2", "writes-burst", "2"));
        String vpc = Moto.ec2().describeVpcs(r -> r.filters(Filter.builder().name("is-default").values("true").build())).vpcs().get(0).vpcId();
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<Integer>> readers = flood(aws, stop);
        Thread.sleep(1_500); // the read bucket drained to the reserve, readers waiting
        double readsWaitingBefore = waitSeconds("read");

        long t0 = System.nanoTime();
        String key = "autoheal-budget-test-" + UUID.randomUUID();
        aws.ec2(AwsScope.own(REGION)).createTags(r -> r.resources(vpc).tags(t -> t.key(key).value("1")));
        double writeSeconds = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        aws.ec2(AwsScope.own(REGION)).describeAddresses(r -> r.overrideConfiguration(AwsRateBudgets.PRIORITY_READ));
        double priorityReadSeconds = (System.nanoTime() - t0) / 1e9;
        stop.set(true);
        for (Future<Integer> r : readers) {
            r.get(30, TimeUnit.SECONDS);
        }
        long bulkReads = waits("read") - 1;
        double bulkWait = waitSeconds("read") / Math.max(1, bulkReads);
        System.out.printf("[rate-budget] write %.3f s, priority read %.3f s; %d bulk reads waited %.3f s on average (%.1f s before the write)%n",
                writeSeconds, priorityReadSeconds, bulkReads, bulkWait, readsWaitingBefore);
        assertThat(readsWaitingBefore).as("bulk reads were queueing when the write came").isGreaterThan(1.0);
        assertThat(bulkWait).as("a bulk read's average wait").isGreaterThan(0.5);
        assertThat(writeSeconds).as("the write (its own bucket, never behind reads)").isLessThan(bulkWait);
        assertThat(priorityReadSeconds).as("the priority read (the reserve bulk reads leave)").isLessThan(bulkWait);
        assertThat(registry.get("autoheal.aws.rate.wait").tag("region", REGION).tag("category", "write").timer().max(TimeUnit.SECONDS))
                .as("the write did not wait for a token").isZero();
        assertThat(Moto.ec2().describeTags(r -> r.filters(Filter.builder().name("key").values(key).build())).tags()).hasSize(1);
        Moto.ec2().deleteTags(r -> r.resources(vpc).tags(t -> t.key(key)));
    }

    @Test
    void anAttemptWithoutATokenInTimeFailsUnsentOnceAndCountsAsThrottled() {
        // One write in the bucket, the next one two seconds later; an attempt waits at most 100 ms.
        AwsClients aws = clients(Map.of("writes-per-second", "0.5", "writes-burst", "1", "max-wait", "100ms"));
        String vpc = Moto.ec2().describeVpcs(r -> r.filters(Filter.builder().name("is-default").values("true").build())).vpcs().get(0).vpcId();
        String key = "autoheal-budget-test-" + UUID.randomUUID();
        // The single-attempt client (AllocateAddress) spends the same budget as the region's other clients.
        aws.ec2SingleAttempt(AwsScope.own(REGION)).createTags(r -> r.resources(vpc).tags(t -> t.key(key).value("first")));
        long start = System.nanoTime();
        assertThatThrownBy(() -> aws.ec2(AwsScope.own(REGION)).createTags(r -> r.resources(vpc).tags(t -> t.key(key).value("second"))))
                .isInstanceOfSatisfying(SdkClientException.class, e -> {
                    assertThat(RateBudgetExhausted.in(e)).isTrue();
                    assertThat(AwsErrors.describe(e)).contains("no AWS request budget for a write in us-east-1 within PT0.1S");
                    assertThat(AwsErrors.operation(e)).contains("CreateTags");
                });
        assertThat((System.nanoTime() - start) / 1e6).as("failed at once (ms), not after the SDK's retries").isLessThan(1_000.0);
        assertThat(registry.get("autoheal.aws.rate.refused").tag("region", REGION).tag("category", "write").counter().count())
                .as("one refused attempt: the SDK did not retry it").isEqualTo(1);
        assertThat(registry.get("autoheal.aws.requests").tag("operation", "CreateTags").tag("outcome", "throttled").counter().count()).isEqualTo(1);
        assertThat(registry.get("autoheal.aws.failed.attempts").tag("service", "Ec2").tag("error_type", "other").counter().count()).isEqualTo(1);
        assertThat(registry.get("autoheal.aws.failed.attempts").tag("service", "Ec2").tag("error_type", "throttling").counter().count())
                .as("AWS' own throttling stays apart").isZero();
        assertThat(Moto.ec2().describeTags(r -> r.filters(Filter.builder().name("key").values(key).build())).tags())
                .as("the refused write never reached AWS").singleElement().satisfies(t -> assertThat(t.value()).isEqualTo("first"));
        Moto.ec2().deleteTags(r -> r.resources(vpc).tags(t -> t.key(key)));
    }
}
