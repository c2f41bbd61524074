package io.autoheal.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * Random takers on random schedules against a bucket with random settings. Invariants: in any window of t seconds
 * at most capacity + rate·t tokens are granted; the level stays within [0, capacity] and bulk takers never go below
 * the reserve; a lone taker gets a token exactly when it was told; and priority takers no faster than the refill rate
 * never wait, whatever a flood of bulk takers does (even trying first, at the same instant).
 */
class TokenBucketPropertiesTest {
    static final double EPS = 1e-6;

    @Property(tries = 1000)
    void neverMoreThanBurstPlusRateTimesTInAnyWindow(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int capacity,
                                                    @ForAll @DoubleRange(min = 0.2, max = 200) double rate) {
        Random random = new Random(seed);
        int reserve = random.nextInt(capacity);
        AtomicLong now = new AtomicLong(random.nextLong());
        TokenBucket b = new TokenBucket(capacity, rate, reserve, now::get);
        List<Long> grants = new ArrayList<>();
        long start = now.get();
        for (int step = 0; step < 400; step++) {
            now.addAndGet(random.nextInt(4) == 0 ? 0 : (long) (random.nextDouble() * 3e9 / rate)); // bursts at one instant, and gaps
            int tries = 1 + random.nextInt(8);
            for (int i = 0; i < tries; i++) {
                boolean priority = random.nextBoolean();
                if (b.tryTake(priority) == 0) {
                    grants.add(now.get() - start);
                    double left = b.available();
                    if (left < -EPS || left > capacity || !priority && left < reserve - EPS) { // assertj only to report
                        assertThat(left).as("level after a take").isBetween(-EPS, (double) capacity);
                        assertThat(left).as("a bulk take left at least the reserve").isGreaterThanOrEqualTo(reserve - EPS);
                    }
                }
            }
        }
        // For every window [grant i, grant j]: (j - i + 1) <= capacity + rate * (t_j - t_i), checked in O(n) with the
        // suffix maximum of (j + 1 - rate * t_j).
        double rateNs = b.perSecond() / 1e9;
        double suffixMax = Double.NEGATIVE_INFINITY;
        for (int i = grants.size() - 1; i >= 0; i--) {
            suffixMax = Math.max(suffixMax, i + 1 - rateNs * grants.get(i));
            double worst = suffixMax - i + rateNs * grants.get(i);
            if (worst > capacity + EPS) {
                assertThat(worst).as("grants in the worst window starting at grant %d (at %d ns)", i, grants.get(i))
                        .isLessThanOrEqualTo(capacity + EPS);
            }
        }
    }

    @Property(tries = 1000)
    void aLoneTakerGetsATokenExactlyWhenItWasTold(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int capacity,
                                                 @ForAll @DoubleRange(min = 0.2, max = 200) double rate, @ForAll boolean priority) {
        Random random = new Random(seed);
        int reserve = random.nextInt(capacity);
        AtomicLong now = new AtomicLong(random.nextLong());
        TokenBucket b = new TokenBucket(capacity, rate, reserve, now::get);
        int drained = random.nextInt(capacity + 1);
        for (int i = 0; i < drained; i++) {
            b.tryTake(true);
        }
        now.addAndGet((long) (random.nextDouble() * 2e9 / rate));
        long wait = b.tryTake(priority);
        if (wait > 0) {
            now.addAndGet(wait - 1);
            assertThat(b.tryTake(priority)).as("1 ns before the time it was told").isPositive();
            now.addAndGet(1);
            assertThat(b.tryTake(priority)).as("at the time it was told").isZero();
        }
    }

    @Property(tries = 1000)
    void priorityTakersNoFasterThanTheRefillNeverWaitWhateverTheBulkFlood(
            @ForAll long seed, @ForAll @IntRange(min = 2, max = 60) int capacity, @ForAll @DoubleRange(min = 0.2, max = 200) double rate) {
        Random random = new Random(seed);
        int reserve = 1 + random.nextInt(capacity - 1);
        AtomicLong now = new AtomicLong(random.nextLong());
        TokenBucket b = new TokenBucket(capacity, rate, reserve, now::get);
        long refillInterval = Math.round(1e9 / b.perSecond());
        for (int round = 0; round < 100; round++) {
            // Bulk takers flood the bucket at random instants, and also right before the priority taker, at its instant.
            long gap = refillInterval + (random.nextBoolean() ? 0 : (long) (random.nextDouble() * 3 * refillInterval));
            long spent = 0;
            while (spent < gap) {
                long step = Math.min(gap - spent, 1 + (long) (random.nextDouble() * refillInterval));
                now.addAndGet(step);
                spent += step;
                for (int i = 0; i < random.nextInt(20); i++) {
                    b.tryTake(false);
                }
            }
            for (int i = 0; i < 1 + random.nextInt(20); i++) {
                b.tryTake(false);
            }
            assertThat(b.tryTake(true)).as("round %d: a priority take one refill interval after the last one waited", round).isZero();
        }
    }
}
