package io.autoheal.bench;

import java.time.Duration;

/** The bench's total time budget and its progress lines ("[bench 03:12] ..."), so a 20-minute run is never silent. */
final class BenchClock {
    private final long started = System.nanoTime();
    private final Duration budget;

    BenchClock(Duration budget) {
        this.budget = budget;
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    Duration remaining() {
        return budget.minus(elapsed());
    }

    /** Whether a step that may take this long still fits in the budget. */
    boolean allows(Duration needed) {
        return remaining().compareTo(needed) >= 0;
    }

    Duration budget() {
        return budget;
    }

    void say(String format, Object... args) {
        long s = elapsed().toSeconds();
        System.out.printf("[bench %02d:%02d] %s%n", s / 60, s % 60, args.length == 0 ? format : String.format(format, args));
        System.out.flush();
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
