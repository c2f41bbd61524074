package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** When a cluster is looked at again: table tests of the pure requeue decision. */
class RequeueTest {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration RESYNC = Duration.ofSeconds(30);

    static Stream<Arguments> nextChecks() {
        Optional<Instant> none = Optional.empty();
        return Stream.of(
                Arguments.of("healing only", NOW.plusSeconds(20), none, false, false, NOW.plusSeconds(20)),
                Arguments.of("bootstrap sooner", NOW.plusSeconds(20), Optional.of(NOW.plusSeconds(5)), false, false, NOW.plusSeconds(5)),
                Arguments.of("bootstrap later", NOW.plusSeconds(20), Optional.of(NOW.plusSeconds(25)), false, false, NOW.plusSeconds(20)),
                Arguments.of("both at once", NOW.plusSeconds(7), Optional.of(NOW.plusSeconds(7)), false, false, NOW.plusSeconds(7)),
                Arguments.of("acted: look soon", NOW.plusSeconds(20), Optional.of(NOW.plusSeconds(10)), true, false, NOW.plusSeconds(3)),
                Arguments.of("acted wins even over a sooner wish", NOW.plusSeconds(1), none, true, false, NOW.plusSeconds(3)),
                // with events: nothing acted is as without them
                Arguments.of("events, not acted: the wish", NOW.plusSeconds(20), Optional.of(NOW.plusSeconds(5)), false, true, NOW.plusSeconds(5)),
                Arguments.of("events, not acted, far wish", NOW.plusSeconds(300), none, false, true, NOW.plusSeconds(300)),
                // with events, acted: the launch event wakes the cluster; the requeue is the safety net
                Arguments.of("events, acted: the safety net", NOW.plusSeconds(300), none, true, true, NOW.plusSeconds(15)),
                Arguments.of("events, acted: a deadline before the net", NOW.plusSeconds(300), Optional.of(NOW.plusSeconds(8)), true, true,
                        NOW.plusSeconds(8)),
                Arguments.of("events, acted: healing's deadline before the net", NOW.plusSeconds(10), none, true, true, NOW.plusSeconds(10)),
                Arguments.of("events, acted: never sooner than without events", NOW.plusSeconds(1), Optional.of(NOW), true, true,
                        NOW.plusSeconds(3)),
                Arguments.of("events, acted: a wish at exactly 3 s", NOW.plusSeconds(3), none, true, true, NOW.plusSeconds(3)),
                Arguments.of("events, acted: a wish at exactly the net", NOW.plusSeconds(15), none, true, true, NOW.plusSeconds(15)),
                Arguments.of("events, acted: a wish just past the net", NOW.plusSeconds(16), none, true, true, NOW.plusSeconds(15)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nextChecks")
    void nextCheck(String name, Instant healing, Optional<Instant> bootstrap, boolean acted, boolean eventDriven, Instant expected) {
        assertThat(Requeue.nextCheck(healing, bootstrap, acted, eventDriven, NOW)).isEqualTo(expected);
    }

    /** Whatever the wishes: after an action never sooner than 3 s, and with events never later than the net. */
    @Property
    void afterAnActionTheLookIsBetweenThreeSecondsAndTheNet(@ForAll @IntRange(min = -60, max = 600) int healingIn,
                                                          @ForAll @IntRange(min = -60, max = 600) int bootstrapIn,
                                                          @ForAll boolean hasBootstrap, @ForAll boolean eventDriven) {
        Instant healing = NOW.plusSeconds(healingIn);
        Optional<Instant> bootstrap = hasBootstrap ? Optional.of(NOW.plusSeconds(bootstrapIn)) : Optional.empty();
        Instant next = Requeue.nextCheck(healing, bootstrap, true, eventDriven, NOW);
        assertThat(next).isAfterOrEqualTo(NOW.plus(Requeue.AFTER_ACTION));
        assertThat(next).isBeforeOrEqualTo(NOW.plus(eventDriven ? Requeue.AFTER_ACTION_WITH_EVENTS : Requeue.AFTER_ACTION));
        Instant wished = bootstrap.filter(b -> b.isBefore(healing)).orElse(healing);
        if (eventDriven && wished.isAfter(NOW.plus(Requeue.AFTER_ACTION)) && wished.isBefore(NOW.plus(Requeue.AFTER_ACTION_WITH_EVENTS))) {
            assertThat(next).as("a deadline inside the window is kept").isEqualTo(wished);
        }
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
