package io.autoheal.eip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When a pool is looked at again: table test of the pure requeue decision. */
class PoolRequeueTest {
    static final Duration RESYNC = Duration.ofSeconds(30);

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "nothing to do, 0, 0, 0, 0, false, 30000",
            "all actions done, 3, 3, 0, 0, false, 2000",
            "some done some failed, 3, 1, 2, 0, false, 2000",
            "taken meanwhile: re-plan soon, 1, 0, 1, 1, false, 2000",
            "every action failed (permanent?): wait a resync, 2, 0, 2, 0, false, 30000",
            "freed a dying machine's address its replacement waits for: right after, 1, 1, 0, 0, true, 200",
            "that disassociation failed: no hurry, 1, 0, 1, 0, true, 30000",
            "nothing planned though a release is awaited (elsewhere): resync, 0, 0, 0, 0, true, 30000"})
    void after(String name, int planned, int done, int failed, int refused, boolean awaitingRelease, long millis) {
        assertThat(PoolRequeue.after(planned, new PoolActuator.Result(done, failed, refused(refused)), RESYNC, awaitingRelease))
                .isEqualTo(Duration.ofMillis(millis));
    }

    static List<AllocationPlan.Associate> refused(int n) {
        return IntStream.range(0, n).mapToObj(i -> new AllocationPlan.Associate("eipalloc-" + i, "i-" + i, "ns/a",
                AllocationPlan.AssignReason.UNUSED_ADDRESS)).toList();
    }
}
