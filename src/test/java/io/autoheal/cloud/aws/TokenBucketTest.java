package io.autoheal.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The token bucket's arithmetic, step by step on a hand-moved ticker. */
class TokenBucketTest {
    static final long MS = 1_000_000L;
    final AtomicLong now = new AtomicLong(5_000 * MS); // any start: only differences count

    TokenBucket bucket(int capacity, double perSecond, int reserve) {
        return new TokenBucket(capacity, perSecond, reserve, now::get);
    }

    int takeAll(TokenBucket b, boolean priority) {
        int n = 0;
        while (b.tryTake(priority) == 0) {
            n++;
        }
        return n;
    }

    @Test
    void startsFullAndAPriorityTakerEmptiesIt() {
        TokenBucket b = bucket(5, 10, 2);
        assertThat(b.available()).isEqualTo(5.0);
        assertThat(takeAll(b, true)).isEqualTo(5);
        assertThat(b.available()).isZero();
    }

    @Test
    void bulkTakersLeaveTheReserveAndAPriorityTakerGetsIt() {
        TokenBucket b = bucket(5, 10, 2);
        assertThat(takeAll(b, false)).as("bulk takes down to the reserve").isEqualTo(3);
        assertThat(b.available()).isEqualTo(2.0);
        assertThat(b.tryTake(true)).isZero();
        assertThat(b.tryTake(true)).isZero();
        assertThat(b.tryTake(true)).as("empty now").isPositive();
    }

    @ParameterizedTest(name = "{0} tokens, rate {1}/s, reserve {2}: priority waits {3} ms, bulk {4} ms")
    @CsvSource({
            // tokens left, rate, reserve, priority wait (ms), bulk wait (ms)
            "0,   10, 2, 100, 300",
            "0.5, 10, 2,  50, 250",
            "0,    5, 0, 200, 200",
            "2,   10, 2,   0, 100",
            "0,  0.5, 1, 2000, 4000",
    })
    void aRefusedTakerIsToldHowLongUntilAToken(double left, double rate, int reserve, long priorityMs, long bulkMs) {
        TokenBucket b = bucket(10, rate, reserve);
        takeAll(b, true);
        now.addAndGet((long) (left / rate * 1e9)); // refill exactly `left` tokens
        assertThat(b.available()).isCloseTo(left, org.assertj.core.data.Offset.offset(1e-9));
        long bulk = b.tryTake(false);
        assertThat(bulk).isCloseTo(bulkMs * MS, org.assertj.core.data.Offset.offset(2L));
        long priority = b.tryTake(true);
        if (priorityMs == 0) {
            assertThat(priority).isZero();
        } else {
            assertThat(priority).isCloseTo(priorityMs * MS, org.assertj.core.data.Offset.offset(2L));
            now.addAndGet(priority);
            assertThat(b.tryTake(true)).as("after the wait it was told").isZero();
        }
    }

    @Test
    void refillStopsAtCapacity() {
        TokenBucket b = bucket(4, 10, 0);
        takeAll(b, true);
        now.addAndGet(3_600_000 * MS);
        assertThat(b.available()).isEqualTo(4.0);
        assertThat(takeAll(b, true)).isEqualTo(4);
    }

    @Test
    void aTickerThatStepsBackAddsNothingAndTakesNothing() {
        TokenBucket b = bucket(4, 10, 0);
        takeAll(b, true);
        now.addAndGet(-1_000 * MS);
        assertThat(b.available()).isZero();
        now.addAndGet(1_000 * MS + 100 * MS);
        assertThat(b.available()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @ParameterizedTest
    @CsvSource({"0, 10, 0", "5, 0, 0", "5, -1, 0", "5, 10, 5", "5, 10, -1", "5, Infinity, 0", "5, NaN, 0", "5, 0.0001, 0",
            "2000000000, 0.001, 0"})
    void nonsenseSettingsAreRefused(int capacity, double rate, int reserve) {
        assertThatThrownBy(() -> bucket(capacity, rate, reserve)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity " + capacity);
    }
}
