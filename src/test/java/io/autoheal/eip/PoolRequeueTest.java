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
            "nothing to do, 0, 0, 0, 0, 30",
            "all actions done, 3, 3, 0, 0, 2",
            "some done some failed, 3, 1, 2, 0, 2",
            "taken meanwhile: re-plan soon, 1, 0, 1, 1, 2",
            "every action failed (permanent?): wait a resync, 2, 0, 2, 0, 30"})
    void after(String name, int planned, int done, int failed, int refused, long seconds) {
        assertThat(PoolRequeue.after(planned, new PoolActuator.Result(done, failed, refused(refused)), RESYNC)).isEqualTo(Duration.ofSeconds(seconds));
    }

    static List<AllocationPlan.Associate> refused(int n) {
        return IntStream.range(0, n).mapToObj(i -> new AllocationPlan.Associate("eipalloc-" + i, "i-" + i, "ns/a",
                AllocationPlan.AssignReason.UNUSED_ADDRESS)).toList();
    }
}
