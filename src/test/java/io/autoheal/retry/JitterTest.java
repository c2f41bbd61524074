package io.autoheal.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JitterTest {
    @ParameterizedTest(name = "{0} ms, r={1} -> {2} ms")
    @CsvSource({
            "30000, 0.0,    24000",
            "30000, 0.5,    30000",
            "30000, 0.9999, 35999",
            "30000, 0.25,   27000",
            "2000,  0.0,    1600",
            "1,     0.0,    1",
    })
    void spreadsByTwentyPercent(long millis, double r, long expected) {
        assertThat(Jitter.spread(Duration.ofMillis(millis), r)).isEqualTo(Duration.ofMillis(expected));
    }

    @Property
    void alwaysWithinPlusMinusTwentyPercent(@ForAll @LongRange(min = 1000, max = 3_600_000) long millis,
                                            @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double r) {
        long spread = Jitter.spread(Duration.ofMillis(millis), r).toMillis();
        assertThat(spread).isBetween(Math.round(millis * 0.8), Math.round(millis * 1.2));
    }

    @Property(tries = 50)
    void theInjectedSourceDecides(@ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double r) {
        assertThat(new Jitter(() -> r).spread(Duration.ofSeconds(30))).isEqualTo(Jitter.spread(Duration.ofSeconds(30), r));
    }

    @ParameterizedTest(name = "delay {0} s, resync {1} s, r=0 -> {2} ms")
    @CsvSource({"30, 30, 24000", "3, 30, 3000", "1, 30, 1000", "300, 300, 240000"})
    void onlyTheResyncIsSpreadNotASoonerWish(long delay, long resync, long expectedMillis) {
        assertThat(new Jitter(() -> 0.0).resync(Duration.ofSeconds(delay), Duration.ofSeconds(resync))).isEqualTo(Duration.ofMillis(expectedMillis));
    }
}
