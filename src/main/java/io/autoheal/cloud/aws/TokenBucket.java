package io.autoheal.cloud.aws;

import java.util.function.LongSupplier;

/**
 * A token bucket, as AWS throttles its APIs: it holds at most {@code capacity} tokens, refills at {@code perSecond},
 * and every request takes one. Pure: time comes from an injected nanosecond ticker; nothing here sleeps.
 *
 * <p>Two kinds of takers share it. A <em>priority</em> taker may take the last token; a <em>bulk</em> taker only while
 * more than {@code reserve} tokens are left. So a flood of bulk takers never empties the bucket below the reserve, and
 * priority takers that come no faster than the refill rate never wait, whatever the bulk takers do.
 *
 * <p>A refused taker is told how long until a token would be there for it, and tries again then (no queue: another
 * taker may come first, which is why the waiting loop bounds its total wait).
 */
public final class TokenBucket {
    private final long capacity;
    private final long interval; // nanoseconds per token: integer arithmetic, so a wait that was told is exact
    private final long reserve;
    private final LongSupplier ticker;
    /** When the bucket will be full again if nobody takes (GCRA's "theoretical arrival time"); now or before = full. */
    private long fullAt;
    private long last;

    /** Starts full. {@code reserve} tokens are for priority takers only (0 = no distinction). */
    public TokenBucket(int capacity, double perSecond, int reserve, LongSupplier nanoTicker) {
        if (capacity < 1 || !(perSecond >= 0.001 && perSecond <= 1e9) || reserve < 0 || reserve >= capacity) {
            throw new IllegalArgumentException("token bucket needs capacity >= 1, a refill rate from 0.001/s to 1e9/s and"
                    + " 0 <= reserve < capacity; got capacity " + capacity + ", rate " + perSecond + "/s, reserve " + reserve);
        }
        this.capacity = capacity;
        this.interval = Math.max(1, Math.round(1e9 / perSecond));
        if (capacity > Long.MAX_VALUE / 4 / interval) { // keeps capacity * interval (nanoseconds) far from overflow
            throw new IllegalArgumentException("token bucket too large: capacity " + capacity + " at " + perSecond + "/s");
        }
        this.reserve = reserve;
        this.ticker = nanoTicker;
        this.last = nanoTicker.getAsLong();
        this.fullAt = last;
    }

    /**
     * Takes one token if this kind of taker may: returns 0 when taken, else the nanoseconds (at least 1) until enough
     * tokens will have refilled for it, if nobody else takes one meanwhile.
     */
    public synchronized long tryTake(boolean priority) {
        long now = now();
        long deficit = Math.max(0, fullAt - now); // nanoseconds of refill missing: deficit / interval tokens
        long allowed = (capacity - (priority ? 1 : reserve + 1)) * interval; // the largest deficit at which it may still take
        if (deficit <= allowed) {
            fullAt = now + deficit + interval;
            return 0;
        }
        return deficit - allowed;
    }

    /** Tokens in the bucket now (fractional while refilling). */
    public synchronized double available() {
        return capacity - Math.max(0, fullAt - now()) / (double) interval;
    }

    /** The refill rate in effect (the configured one, rounded to a whole number of nanoseconds per token). */
    public double perSecond() {
        return 1e9 / interval;
    }

    /** The ticker's time, never earlier than already seen: a ticker that steps back neither adds nor removes tokens. */
    private long now() {
        long now = ticker.getAsLong();
        if (now - last > 0) { // difference, not comparison: nanoTime may wrap
            last = now;
        }
        return last;
    }
}
