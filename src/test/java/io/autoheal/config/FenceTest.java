package io.autoheal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** When the Lease holder may still write: table tests of the pure fence decision (defaults: 15 s lease, 10 s deadline). */
class FenceTest {
    static final Fence FENCE = new Fence(Duration.ofSeconds(15), Duration.ofSeconds(10));
    static final String ME = "op-a";
    static final Instant RENEWED = Instant.parse("2026-01-01T00:00:00Z");

    static Stream<Arguments> decisions() {
        return Stream.of(
                Arguments.of("nothing read yet", Optional.empty(), RENEWED, false, "no renewal"),
                Arguments.of("renewed just now", renewal(ME, RENEWED), RENEWED, true, ""),
                Arguments.of("renewed 2 s ago (one retry period)", renewal(ME, RENEWED), RENEWED.plusSeconds(2), true, ""),
                Arguments.of("renewed 9.999 s ago", renewal(ME, RENEWED), RENEWED.plusMillis(9_999), true, ""),
                Arguments.of("exactly at the renew deadline", renewal(ME, RENEWED), RENEWED.plusSeconds(10), false, "past the renew deadline"),
                Arguments.of("paused 12 s: lease still valid for others' eyes, but no margin", renewal(ME, RENEWED), RENEWED.plusSeconds(12),
                        false, "last renewed 12.0s ago"),
                Arguments.of("paused past the lease duration", renewal(ME, RENEWED), RENEWED.plusSeconds(40), false, "past the renew deadline"),
                Arguments.of("another replica took the Lease", renewal("op-b", RENEWED), RENEWED.plusSeconds(1), false, "held by op-b"),
                Arguments.of("Lease released (no holder)", renewal("", RENEWED), RENEWED, false, "held by nobody"),
                Arguments.of("Lease without holder field", renewal(null, RENEWED), RENEWED, false, "held by nobody"),
                Arguments.of("Lease without renew time", renewal(ME, null), RENEWED, false, "no renew time"),
                Arguments.of("clock went back before the renewal", renewal(ME, RENEWED), RENEWED.minusSeconds(1), false, "before the Lease's"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void decide(String name, Optional<Fence.Renewal> last, Instant now, boolean allowed, String reasonContains) {
        Fence.Decision d = FENCE.decide(ME, last, now);
        assertThat(d.allowed()).as(name).isEqualTo(allowed);
        if (!allowed) {
            assertThat(((Fence.Refused) d).reason()).contains(reasonContains);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void anOpenFenceSaysHowMuchMarginIsLeft(String name, Optional<Fence.Renewal> last, Instant now, boolean allowed, String ignored) {
        if (FENCE.decide(ME, last, now) instanceof Fence.Open open) {
            assertThat(open.margin()).contains(Duration.ofSeconds(10).minus(Duration.between(RENEWED, now)));
        }
    }

    /** Whatever the timings: the fence is open exactly while the holder's last renewal is younger than the deadline. */
    @Property
    void openExactlyBeforeTheDeadline(@ForAll @LongRange(min = 1, max = 60_000) long deadlineMs, @ForAll @LongRange(min = 1, max = 60_000) long extraMs,
                                      @ForAll @LongRange(min = 0, max = 200_000) long ageMs) {
        Fence fence = new Fence(Duration.ofMillis(deadlineMs + extraMs), Duration.ofMillis(deadlineMs));
        boolean open = fence.decide(ME, renewal(ME, RENEWED), RENEWED.plusMillis(ageMs)).allowed();
        assertThat(open).isEqualTo(ageMs < deadlineMs);
        assertThat(fence.decide("someone-else", renewal(ME, RENEWED), RENEWED.plusMillis(ageMs)).allowed()).isFalse();
    }

    @org.junit.jupiter.api.Test
    void aDeadlineNotShorterThanTheLeaseLeavesNoMarginAndIsRefused() {
        assertThatThrownBy(() -> new Fence(Duration.ofSeconds(10), Duration.ofSeconds(10))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Fence(Duration.ofSeconds(10), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    static Optional<Fence.Renewal> renewal(String holder, Instant at) {
        return Optional.of(new Fence.Renewal(holder, at));
    }
}
