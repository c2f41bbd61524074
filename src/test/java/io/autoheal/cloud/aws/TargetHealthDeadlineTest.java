package io.autoheal.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.fleet.ObservedTargetHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/** The target-health reads of one refresh share one deadline: a slow ELB API delays the region's refresh by at most that. */
class TargetHealthDeadlineTest {
    static final List<String> ARNS = List.of("arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/a/aaaaaaaaaaaaaaaa",
            "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/b/bbbbbbbbbbbbbbbb",
            "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/c/cccccccccccccccc",
            "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/d/dddddddddddddddd");

    /** An ELB API that answers in {@code delay}, or times out as the SDK does when the call's timeout is shorter. */
    static TargetHealthReader.Describe slow(Duration delay, AtomicInteger calls) {
        return (arn, timeout) -> {
            calls.incrementAndGet();
            try {
                Thread.sleep(Math.min(delay.toMillis(), timeout.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (timeout.compareTo(delay) < 0) {
                throw ApiCallTimeoutException.builder().message("Client execution did not complete before the specified timeout").build();
            }
            return Map.of("i-1", new ObservedTargetHealth.Target("healthy", null, null));
        };
    }

    @Test
    void aSlowElbApiStopsAtTheDeadlineLeavingTheRestUnknown() {
        AtomicInteger calls = new AtomicInteger();
        long start = System.nanoTime();
        ObservedTargetHealth read = TargetHealthReader.read(ARNS, Instant.EPOCH, slow(Duration.ofMillis(300), calls), Duration.ofMillis(400));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("bounded by the deadline, not 4 x 300 ms").isLessThan(Duration.ofMillis(800));
        assertThat(read.read(ARNS.get(0))).isTrue();
        assertThat(calls.get()).as("stopped at the first timeout").isEqualTo(2);
        assertThat(read.unread()).containsOnlyKeys(ARNS.subList(1, 4));
        assertThat(read.unread().get(ARNS.get(1))).isEqualTo("ApiCallTimeoutException");
        assertThat(read.unread().get(ARNS.get(2))).isEqualTo(TargetHealthReader.DEADLINE_CODE);
    }

    @Test
    void aFastElbApiReadsEveryGroup() {
        ObservedTargetHealth read = TargetHealthReader.read(ARNS, Instant.EPOCH, slow(Duration.ZERO, new AtomicInteger()), TargetHealthReader.DEADLINE);
        assertThat(read.unread()).isEmpty();
        assertThat(ARNS).allMatch(read::read);
    }
}
