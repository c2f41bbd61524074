package io.autoheal.retry;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Spreads resyncs and retries by ±{@value #PERCENT} %: without it every cluster created together, or failed together
 * when a region failed, looks again in the same second, for ever. The random source is injected (tests pin it).
 */
@ApplicationScoped
public class Jitter {
    static final int PERCENT = 20;
    private final DoubleSupplier random;

    public Jitter() {
        this(() -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param random uniform in [0, 1) */
    public Jitter(DoubleSupplier random) {
        this.random = random;
    }

    /** The reconcilers' spread (a shared instance: the random source of the tests is injected into their own). */
    public static final Jitter SHARED = new Jitter();

    /**
     * A reconcile's next look: the resync interval (nothing sooner was wished) is spread, so clusters created together
     * do not resync together for ever; a sooner wish (a bootstrap poll, a deadline) is kept as it is.
     */
    public Duration resync(Duration delay, Duration resync) {
        return delay.compareTo(resync) >= 0 ? spread(delay) : delay;
    }

    /** No spread: for callers that need exact delays (benches, the fast tier). */
    public static Jitter none() {
        return new Jitter(() -> 0.5);
    }

    public Duration spread(Duration d) {
        return spread(d, random.getAsDouble());
    }

    /** Pure: d scaled by a factor in [0.8, 1.2) chosen by r in [0, 1); never below a millisecond. */
    static Duration spread(Duration d, double r) {
        double factor = 1 + PERCENT / 100.0 * (2 * Math.min(Math.max(r, 0), 1) - 1);
        long millis = Math.round(d.toMillis() * factor);
        return Duration.ofMillis(Math.max(1, millis));
    }
}
