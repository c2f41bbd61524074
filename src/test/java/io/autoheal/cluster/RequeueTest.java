package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** When a cluster is looked at again: table tests of the pure requeue decision. */
class RequeueTest {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration RESYNC = Duration.ofSeconds(30);

    static Stream<Arguments> nextChecks() {
        return Stream.of(
                Arguments.of("healing only", NOW.plusSeconds(20), Optional.empty(), false, NOW.plusSeconds(20)),
                Arguments.of("bootstrap sooner", NOW.plusSeconds(20), Optional.of(NOW.plusSeconds(5)), false, NOW.plusSeconds(5)),
                Arguments.of("bootstrap later", NOW.plusSeconds(20), Optional.of(NOW.plusSeconds(25)), false, NOW.plusSeconds(20)),
                Arguments.of("both at once", NOW.plusSeconds(7), Optional.of(NOW.plusSeconds(7)), false, NOW.plusSeconds(7)),
                Arguments.of("acted: look soon", NOW.plusSeconds(20), Optional.of(NOW.plusSeconds(10)), true, NOW.plusSeconds(3)),
                Arguments.of("acted wins even over a sooner wish", NOW.plusSeconds(1), Optional.empty(), true, NOW.plusSeconds(3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nextChecks")
    void nextCheck(String name, Instant healing, Optional<Instant> bootstrap, boolean acted, Instant expected) {
        assertThat(Requeue.nextCheck(healing, bootstrap, acted, NOW)).isEqualTo(expected);
    }

    static Stream<Arguments> delays() {
        return Stream.of(
                Arguments.of("no wish: resync", Optional.empty(), RESYNC),
                Arguments.of("within range", Optional.of(NOW.plusSeconds(12)), Duration.ofSeconds(12)),
                Arguments.of("beyond resync: resync", Optional.of(NOW.plusSeconds(600)), RESYNC),
                Arguments.of("exactly resync", Optional.of(NOW.plus(RESYNC)), RESYNC),
                Arguments.of("in the past: one second", Optional.of(NOW.minusSeconds(5)), Duration.ofSeconds(1)),
                Arguments.of("now: one second", Optional.of(NOW), Duration.ofSeconds(1)),
                Arguments.of("sub-second: one second", Optional.of(NOW.plusMillis(300)), Duration.ofSeconds(1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("delays")
    void delay(String name, Optional<Instant> next, Duration expected) {
        assertThat(Requeue.delay(next, NOW, RESYNC)).isEqualTo(expected);
    }
}
