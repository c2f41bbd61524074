package io.autoheal.discovery;

/**
 * The running cost of one rendering against its {@link RenderLimits}. Qute's loops neither check the thread's
 * interrupt flag nor bound their size (a loop over an integer n pre-sizes a list of n elements), so the rendering
 * counts its own work here and stops itself with {@link Exceeded} once over a limit or abandoned by its caller: a
 * rendering nobody waits for any more cannot keep a thread busy.
 */
final class RenderBudget {
    /** Thrown inside the rendering when a limit is hit; ends it. */
    static final class Exceeded extends RuntimeException {
        final RenderLimits.Limit limit;

        Exceeded(RenderLimits.Limit limit, RenderLimits limits) {
            super(limit.describe(limits), null, false, false);
            this.limit = limit;
        }
    }

    private final RenderLimits limits;
    private volatile long deadlineNanos;
    private long steps;
    private long bytes;
    private volatile boolean abandoned;

    RenderBudget(RenderLimits limits) {
        this.limits = limits;
        this.deadlineNanos = System.nanoTime() + limits.timeout().toNanos();
    }

    /** The rendering begins now: its time counts from here (not from when it was queued). */
    void start() {
        deadlineNanos = System.nanoTime() + limits.timeout().toNanos();
    }

    /** n more steps (iterations or nodes); also the point where time and abandonment are checked. */
    void steps(long n) {
        steps += n;
        if (steps > limits.maxSteps()) {
            throw new Exceeded(RenderLimits.Limit.STEPS, limits);
        }
        checkTime();
    }

    /** Whether a loop of n iterations still fits (checked before Qute sizes a list for it). */
    void loopOf(long n) {
        if (n > limits.maxSteps() - steps) {
            throw new Exceeded(RenderLimits.Limit.STEPS, limits);
        }
        checkTime();
    }

    /** A piece of output: fails once the total would pass the output limit (the piece is then not written). */
    void output(CharSequence s) {
        bytes += utf8Length(s);
        if (bytes > limits.maxOutputBytes()) {
            throw new Exceeded(RenderLimits.Limit.OUTPUT, limits);
        }
        checkTime();
    }

    void checkTime() {
        if (abandoned || System.nanoTime() - deadlineNanos > 0) {
            throw new Exceeded(RenderLimits.Limit.TIME, limits);
        }
    }

    /** The caller stopped waiting: the rendering ends at its next step. */
    void abandon() {
        abandoned = true;
    }

    static long utf8Length(CharSequence s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3; // a surrogate pair: 4
        }
        return n;
    }
}
