package io.autoheal.retry;

import io.autoheal.fleet.AwsScope;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegionBackoffTest {
    static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

    @ParameterizedTest(name = "{0} failures -> {1} s")
    @CsvSource({"1, 2", "2, 4", "3, 8", "4, 16", "5, 32", "6, 60", "7, 60", "100, 60", "0, 2"})
    void doublesUpToAMinute(int failures, long seconds) {
        assertThat(RegionBackoff.delay(failures)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void aFailureWhileWaitingDoesNotPushTheWaitFurther() {
        var first = RegionBackoff.afterFailure(null, T0, Duration.ofSeconds(2));
        assertThat(first).isEqualTo(new RegionBackoff.State(1, T0.plusSeconds(2)));
        // another cluster's call of the same outage, still in flight: same wait
        assertThat(RegionBackoff.afterFailure(first, T0.plusSeconds(1), Duration.ofSeconds(4))).isEqualTo(first);
        // the next attempt after the wait fails too: the next step
        assertThat(RegionBackoff.afterFailure(first, T0.plusSeconds(2), Duration.ofSeconds(4)))
                .isEqualTo(new RegionBackoff.State(2, T0.plusSeconds(6)));
    }

    @Test
    void theRegionsClustersBackOffTogetherAndASuccessEndsIt() {
        AtomicReference<Instant> now = new AtomicReference<>(T0);
        Clock clock = new Clock() {
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId z) {
                return this;
            }

            public Instant instant() {
                return now.get();
            }
        };
        RegionBackoff backoff = new RegionBackoff(clock, new Jitter(() -> 0.0)); // -20 %
        assertThat(backoff.nextAttempt(AwsScope.own("us-east-1"))).isEmpty();
        backoff.failed(AwsScope.own("us-east-1"));
        assertThat(backoff.nextAttempt(AwsScope.own("us-east-1"))).contains(T0.plusMillis(1600));
        assertThat(backoff.nextAttempt(AwsScope.own("eu-west-1"))).as("another region is not affected").isEmpty();
        now.set(T0.plusMillis(1600));
        assertThat(backoff.nextAttempt(AwsScope.own("us-east-1"))).as("the wait is over").isEmpty();
        backoff.failed(AwsScope.own("us-east-1"));
        assertThat(backoff.nextAttempt(AwsScope.own("us-east-1"))).contains(T0.plusMillis(1600 + 3200));
        backoff.succeeded(AwsScope.own("us-east-1"));
        assertThat(backoff.nextAttempt(AwsScope.own("us-east-1"))).isEmpty();
    }
}
