package io.autoheal.cloud.aws;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The AWS request budget of one region, shared by every client of that region (EC2 and Auto Scaling, every cluster
 * and pool): one {@link TokenBucket} for reads and one for writes, as AWS keeps mutating and non-mutating actions in
 * separate buckets — so a flood of reads never delays a write. Within the read bucket, bulk reads leave a reserve
 * that only priority reads (the ones healing waits for) may take.
 */
final class RegionRateBudget {
    enum Category {
        READ, WRITE;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How a waiting attempt sleeps; tests pass one that moves their ticker instead. */
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final String region;
    private final Map<Category, TokenBucket> buckets = new EnumMap<>(Category.class);
    private final LongSupplier ticker;
    private final Sleeper sleeper;

    RegionRateBudget(String region, TokenBucket reads, TokenBucket writes, LongSupplier ticker, Sleeper sleeper) {
        this.region = region;
        this.buckets.put(Category.READ, reads);
        this.buckets.put(Category.WRITE, writes);
        this.ticker = ticker;
        this.sleeper = sleeper;
    }

    /** Describe*, Get* and List* actions read (AWS' non-mutating actions); everything else writes. */
    static Category categoryOf(String operation) {
        if (operation != null && (operation.startsWith("Describe") || operation.startsWith("Get") || operation.startsWith("List"))) {
            return Category.READ;
        }
        return Category.WRITE;
    }

    TokenBucket bucket(Category category) {
        return buckets.get(category);
    }

    /**
     * Takes a token of the category, waiting for one at most {@code maxWaitNanos}; returns the nanoseconds waited.
     * Gives up as soon as the next possible token lies beyond the deadline (no pointless sleep before failing).
     *
     * @throws RateBudgetExhausted when no token came in time
     */
    long acquire(Category category, boolean priority, long maxWaitNanos) throws InterruptedException {
        TokenBucket bucket = buckets.get(category);
        long start = ticker.getAsLong();
        boolean slept = false;
        while (true) {
            long wait = bucket.tryTake(priority);
            long waited = slept ? ticker.getAsLong() - start : 0; // a token that was there means no wait at all
            if (wait == 0) {
                return waited;
            }
            if (waited + wait > maxWaitNanos) {
                throw new RateBudgetExhausted(region, category.label(), waited, maxWaitNanos);
            }
            sleeper.sleep(wait);
            slept = true;
        }
    }
}
