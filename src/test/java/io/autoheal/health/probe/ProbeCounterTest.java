package io.autoheal.health.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Probe results → verdict, as Kubernetes counts probes (failureThreshold, successThreshold). */
class ProbeCounterTest {
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    /** 'F' a failure, 'S' a success, in order; then whether the machine is conclusively failing. */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("nothing seen yet", "", 3, 1, false),
                Arguments.of("two failures of three", "FF", 3, 1, false),
                Arguments.of("three failures in a row", "FFF", 3, 1, true),
                Arguments.of("a success between resets the count", "FFSFF", 3, 1, false),
                Arguments.of("threshold 1: the first failure", "F", 1, 1, true),
                Arguments.of("one success clears (successThreshold 1)", "FFFS", 3, 1, false),
                Arguments.of("successThreshold 2: one success is not enough", "FFFS", 3, 2, true),
                Arguments.of("successThreshold 2: two in a row clear", "FFFSS", 3, 2, false),
                Arguments.of("successThreshold 2: a failure between restarts the run", "FFFSFS", 3, 2, true),
                Arguments.of("failing stays failing on more failures", "FFFFFF", 3, 1, true),
                Arguments.of("successThreshold does not delay the first verdict", "S", 3, 5, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void verdicts(String name, String results, int failureThreshold, int successThreshold, boolean failing) {
        ProbeCounter c = run(results, failureThreshold, successThreshold);
        assertThat(c.failing()).isEqualTo(failing);
        if (failing) {
            assertThat(c.lastError()).isEqualTo("HTTP 503");
            assertThat(c.failingSince()).isNotNull();
        } else {
            assertThat(c.failingSince()).isNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void failingSinceIsTheRunThatCrossedTheThreshold(String name, String results, int failureThreshold, int successThreshold, boolean failing) {
        ProbeCounter c = ProbeCounter.FRESH;
        Instant crossed = null;
        for (int i = 0; i < results.length(); i++) {
            boolean before = c.failing();
            c = c.after(results.charAt(i) == 'F' ? "HTTP 503" : null, failureThreshold, successThreshold, T0.plusSeconds(i));
            if (!before && c.failing()) {
                crossed = T0.plusSeconds(i);
            }
        }
        assertThat(c.failingSince()).isEqualTo(c.failing() ? crossed : null);
    }

    @Property
    void neverFailingWithFewerThanThresholdConsecutiveFailures(@ForAll("results") List<Boolean> results,
                                                             @ForAll @IntRange(min = 1, max = 6) int failureThreshold,
                                                             @ForAll @IntRange(min = 1, max = 6) int successThreshold) {
        ProbeCounter c = ProbeCounter.FRESH;
        int longestRun = 0;
        int run = 0;
        for (boolean ok : results) {
            c = c.after(ok ? null : "timeout after 1s", failureThreshold, successThreshold, T0);
            run = ok ? 0 : run + 1;
            longestRun = Math.max(longestRun, run);
            if (c.failing()) {
                assertThat(longestRun).as("failing only after a run of failureThreshold failures").isGreaterThanOrEqualTo(failureThreshold);
            }
        }
    }

    @Property
    void aRunOfSuccessThresholdSuccessesClearsAndAFullFailureRunFails(@ForAll("results") List<Boolean> results,
                                                                    @ForAll @IntRange(min = 1, max = 6) int failureThreshold,
                                                                    @ForAll @IntRange(min = 1, max = 6) int successThreshold) {
        ProbeCounter c = ProbeCounter.FRESH;
        for (boolean ok : results) {
            c = c.after(ok ? null : "connection refused", failureThreshold, successThreshold, T0);
        }
        ProbeCounter cleared = c;
        for (int i = 0; i < successThreshold; i++) {
            cleared = cleared.after(null, failureThreshold, successThreshold, T0);
        }
        assertThat(cleared.failing()).isFalse();
        assertThat(cleared.lastError()).isNull();
        ProbeCounter failed = c;
        for (int i = 0; i < failureThreshold; i++) {
            failed = failed.after("connection refused", failureThreshold, successThreshold, T0);
        }
        assertThat(failed.failing()).isTrue();
        assertThat(failed.lastError()).isEqualTo("connection refused");
    }

    @Provide
    Arbitrary<List<Boolean>> results() {
        return Arbitraries.of(true, false).list().ofMaxSize(40);
    }

    static ProbeCounter run(String results, int failureThreshold, int successThreshold) {
        ProbeCounter c = ProbeCounter.FRESH;
        for (int i = 0; i < results.length(); i++) {
            c = c.after(results.charAt(i) == 'F' ? "HTTP 503" : null, failureThreshold, successThreshold, T0.plusSeconds(i));
        }
        return c;
    }
}
