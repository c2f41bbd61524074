package io.autoheal.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autoheal.cloud.aws.RegionRateBudget.Category;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A region's read and write buckets, and the bounded wait for a token, on a ticker that only sleeping moves. */
class RegionRateBudgetTest {
    static final long MS = 1_000_000L;
    final AtomicLong now = new AtomicLong();
    final List<Long> sleeps = new ArrayList<>();
    // reads: 4 tokens, 10/s, 1 kept for priority reads; writes: 2 tokens, 5/s
    final RegionRateBudget budget = new RegionRateBudget("eu-west-1", new TokenBucket(4, 10, 1, now::get),
            new TokenBucket(2, 5, 0, now::get), now::get, nanos -> {
                sleeps.add(nanos);
                now.addAndGet(nanos);
            });

    @ParameterizedTest
    @CsvSource({
            "DescribeInstances, READ", "DescribeAutoScalingGroups, READ", "DescribeInstanceStatus, READ", "GetConsoleOutput, READ",
            "ListTagsForResource, READ", "TerminateInstanceInAutoScalingGroup, WRITE", "AssociateAddress, WRITE", "AllocateAddress, WRITE",
            "CreateTags, WRITE", "CompleteLifecycleAction, WRITE", "UpdateAutoScalingGroup, WRITE", "SuspendProcesses, WRITE"})
    void describeGetAndListReadEverythingElseWrites(String operation, Category category) {
        assertThat(RegionRateBudget.categoryOf(operation)).isEqualTo(category);
    }

    @Test
    void anOperationWithoutANameCountsAsAWrite() {
        assertThat(RegionRateBudget.categoryOf(null)).isEqualTo(Category.WRITE);
    }

    @Test
    void tokensThereMeanNoWait() throws Exception {
        assertThat(budget.acquire(Category.READ, false, 0)).isZero();
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aBulkReadWaitsForTheBucketToRefillAboveTheReserve() throws Exception {
        for (int i = 0; i < 3; i++) {
            budget.acquire(Category.READ, false, 0);
        }
        assertThat(budget.acquire(Category.READ, false, 1_000 * MS)).isEqualTo(100 * MS);
        assertThat(sleeps).containsExactly(100 * MS);
    }

    @Test
    void aPriorityReadTakesTheReserveWithoutWaiting() throws Exception {
        for (int i = 0; i < 3; i++) {
            budget.acquire(Category.READ, false, 0);
        }
        assertThat(budget.acquire(Category.READ, true, 0)).isZero();
    }

    @Test
    void readsDrainedToTheLastTokenLeaveWritesUntouched() throws Exception {
        for (int i = 0; i < 4; i++) {
            budget.acquire(Category.READ, true, 0);
        }
        assertThat(budget.bucket(Category.READ).available()).isZero();
        assertThat(budget.acquire(Category.WRITE, false, 0)).isZero();
        assertThat(budget.acquire(Category.WRITE, false, 0)).isZero();
        assertThat(budget.bucket(Category.WRITE).available()).isZero();
    }

    @Test
    void whenTheNextTokenLiesBeyondTheMaxWaitItFailsAtOnceWithoutSleeping() throws Exception {
        budget.acquire(Category.WRITE, false, 0);
        budget.acquire(Category.WRITE, false, 0);
        // the next write token comes in 200 ms
        assertThatThrownBy(() -> budget.acquire(Category.WRITE, false, 199 * MS)).isInstanceOf(RateBudgetExhausted.class)
                .hasMessageContaining("write in eu-west-1 within PT0.199S").hasMessageContaining("autoheal.aws.rate-limit");
        assertThat(sleeps).isEmpty();
        assertThat(budget.acquire(Category.WRITE, false, 200 * MS)).isEqualTo(200 * MS);
    }

    @Test
    void aTakerThatLosesTheTokenItWaitedForWaitsAgainWithinItsMaxWait() throws Exception {
        TokenBucket reads = new TokenBucket(1, 10, 0, now::get);
        // Another thread takes the token the first sleep waited for: simulated by taking it right after that sleep.
        RegionRateBudget contended = new RegionRateBudget("eu-west-1", reads, new TokenBucket(1, 10, 0, now::get), now::get, nanos -> {
            sleeps.add(nanos);
            now.addAndGet(nanos);
            if (sleeps.size() == 1) {
                assertThat(reads.tryTake(true)).isZero();
            }
        });
        assertThat(contended.acquire(Category.READ, false, 0)).isZero();
        assertThat(contended.acquire(Category.READ, false, 250 * MS)).isEqualTo(200 * MS);
        assertThat(sleeps).containsExactly(100 * MS, 100 * MS);
        sleeps.clear();
        assertThatThrownBy(() -> contended.acquire(Category.READ, false, 50 * MS)).isInstanceOf(RateBudgetExhausted.class);
        assertThat(sleeps).isEmpty();
    }
}
