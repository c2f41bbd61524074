package io.autoheal.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Submission and pick-up of calls off the pass, with a hand-run executor: no threads, no timing. */
class PendingCallsTest {
    final TestClock clock = new TestClock(Instant.parse("2026-12-01T00:00:00Z"));
    final List<Runnable> queued = new ArrayList<>();
    final List<String> woken = new ArrayList<>();
    final PendingCalls<String, Object> calls = new PendingCalls<>(queued::add, 2, 3, Duration.ofMinutes(10), clock, woken::add);
    final AtomicInteger made = new AtomicInteger();

    Optional<String> ask(String key, String endpoint) {
        return calls.takeOrStart(key, endpoint, () -> key + "#" + made.incrementAndGet(), e -> "error");
    }

    @Test
    void aCallStartsOnceRunsOffThePassAndIsHandedOverOnce() {
        assertThat(ask("a", "h1")).as("started, not done").isEmpty();
        assertThat(ask("a", "h1")).as("running: not started again").isEmpty();
        assertThat(queued).hasSize(1);
        assertThat(made).hasValue(0);
        queued.remove(0).run();
        assertThat(woken).as("its end wakes the cluster").containsExactly("a");
        assertThat(ask("a", "h1")).contains("a#1");
        assertThat(ask("a", "h1")).as("handed over once: the next ask is a new call").isEmpty();
        assertThat(queued).hasSize(1);
    }

    @Test
    void atMostTwoCallsPerEndpointAndThreeInAll() {
        ask("a", "h1");
        ask("b", "h1");
        ask("c", "h1");
        assertThat(queued).as("h1 is full").hasSize(2);
        ask("d", "h2");
        ask("e", "h3");
        assertThat(queued).as("three in all").hasSize(3);
        assertThat(calls.running("c")).isFalse();
        queued.remove(0).run(); // a ends
        ask("c", "h1");
        assertThat(calls.running("c")).as("a slot came free").isTrue();
    }

    @Test
    void aThrowingCallAnswersItsErrorOutcome() {
        calls.takeOrStart("x", "h", () -> {
            throw new IllegalStateException("boom");
        }, e -> "error: " + e.getMessage());
        queued.remove(0).run();
        assertThat(calls.takeOrStart("x", "h", () -> "never", e -> "again")).contains("error: boom");
    }

    @Test
    void outcomesNobodyCollectsAreDroppedAfterTheirTime() {
        ask("gone", "h");
        queued.remove(0).run();
        clock.advance(Duration.ofMinutes(11));
        ask("other", "h");
        assertThat(calls.size()).as("only the new call is left").isEqualTo(1);
    }

    @Test
    void aRefusedSubmissionLeavesNothingRunning() {
        PendingCalls<String, Object> full = new PendingCalls<>(r -> {
            throw new RejectedExecutionException();
        }, 2, 3, Duration.ofMinutes(10), clock, k -> { });
        assertThat(full.takeOrStart("a", "h", () -> "x", e -> "e")).isEmpty();
        assertThat(full.running("a")).isFalse();
        assertThat(full.size()).isZero();
    }

    @Test
    void aCallDoneAtOnceIsHandedOverInTheSamePass() {
        PendingCalls<String, Object> direct = new PendingCalls<>(Runnable::run, 2, 3, Duration.ofMinutes(10), clock, k -> { });
        assertThat(direct.takeOrStart("a", "h", () -> "now", e -> "e")).contains("now");
        assertThat(direct.size()).isZero();
    }
}
