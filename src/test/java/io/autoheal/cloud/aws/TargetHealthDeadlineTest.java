package io.autoheal.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.fleet.ObservedTargetHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * The target-health reads of one refresh share one deadline: a slow ELB API delays the region's refresh by at most that.
 * On a fake monotonic clock: the stub ELB API advances it by its answer time instead of sleeping, so the test says the
 * same on a loaded machine.
 */
class TargetHealthDeadlineTest {
    static final List<String> ARNS = List.of("arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/a/aaaaaaaaaaaaaaaa",
            "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/b/bbbbbbbbbbbbbbbb",
            "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/c/cccccccccccccccc",
            "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/d/dddddddddddddddd");

    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    /** The timeout each call was given, in order. */
    final List<Duration> timeouts = new CopyOnWriteArrayList<>();

    /** An ELB API that answers in {@code delay}, or times out as the SDK does when the call's timeout is shorter. */
    TargetHealthReader.Describe slow(Duration delay) {
        return (arn, timeout) -> {
            timeouts.add(timeout);
            nanos.addAndGet(Math.min(delay.toNanos(), timeout.toNanos()));
            if (timeout.compareTo(delay) < 0) {
                throw ApiCallTimeoutException.builder().message("Client execution did not complete before the specified timeout").build();
            }
            return Map.of("i-1", new ObservedTargetHealth.Target("healthy", null, null));
        };
    }

    @Test
    void aSlowElbApiStopsAtTheDeadlineLeavingTheRestUnknown() {
        long start = nanos.get();
        ObservedTargetHealth read = TargetHealthReader.read(ARNS, Instant.EPOCH, slow(Duration.ofMillis(300)), Duration.ofMillis(400), nanos::get);
        assertThat(Duration.ofNanos(nanos.get() - start)).as("bounded by the deadline, not 4 x 300 ms").isEqualTo(Duration.ofMillis(400));
        assertThat(timeouts).as("each call gets what is left of the one deadline; stopped at the first timeout")
                .containsExactly(Duration.ofMillis(400), Duration.ofMillis(100));
        assertThat(read.read(ARNS.get(0))).isTrue();
        assertThat(read.unread()).containsOnlyKeys(ARNS.subList(1, 4));
        assertThat(read.unread().get(ARNS.get(1))).isEqualTo("ApiCallTimeoutException");
        assertThat(read.unread().get(ARNS.get(2))).isEqualTo(TargetHealthReader.DEADLINE_CODE);
        assertThat(read.unread().get(ARNS.get(3))).isEqualTo(TargetHealthReader.DEADLINE_CODE);
    }

    @Test
    void aCallThatUsesUpTheDeadlineWithoutTimingOutLeavesTheRestUnread() {
        ObservedTargetHealth read = TargetHealthReader.read(ARNS, Instant.EPOCH, slow(Duration.ofMillis(200)), Duration.ofMillis(400), nanos::get);
        assertThat(timeouts).containsExactly(Duration.ofMillis(400), Duration.ofMillis(200));
        assertThat(read.unread()).containsOnlyKeys(ARNS.subList(2, 4)).allSatisfy((arn, code) -> assertThat(code).isEqualTo(TargetHealthReader.DEADLINE_CODE));
    }

    @Test
    void aFastElbApiReadsEveryGroup() {
        ObservedTargetHealth read = TargetHealthReader.read(ARNS, Instant.EPOCH, slow(Duration.ZERO), TargetHealthReader.DEADLINE, nanos::get);
        assertThat(read.unread()).isEmpty();
        assertThat(ARNS).allMatch(read::read);
        assertThat(timeouts).as("nothing spent: every call gets the whole deadline").containsOnly(TargetHealthReader.DEADLINE);
    }
}
