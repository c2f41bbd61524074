package io.autoheal.bootstrap;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Calls that leave the reconcile pass: a pass asks for the outcome of a call by key; a finished call's outcome is
 * handed over once (and forgotten), a running call answers "not yet", and a call never started is started on the
 * executor, unless its endpoint already has {@code perEndpoint} calls running or {@code total} run in all (then
 * "not yet" too: a later pass asks again). A finished call reports its key to {@code onDone} (which wakes the
 * cluster). Outcomes nobody collects (the machine left) are dropped after {@code keepDone}.
 *
 * <p>Nothing here blocks: a pass costs a map look-up per machine, however slow or dead the endpoint.
 */
public final class PendingCalls<K, V> {
    private sealed interface Entry permits Running, Done {
    }

    private record Running(String endpoint) implements Entry {
    }

    private record Done(Object value, Instant at) implements Entry {
    }

    private final Map<K, Entry> entries = new HashMap<>();
    private final Map<String, Integer> running = new HashMap<>();
    private final Executor executor;
    private final int perEndpoint;
    private final int total;
    private final Duration keepDone;
    private final Clock clock;
    private final Consumer<K> onDone;

    public PendingCalls(Executor executor, int perEndpoint, int total, Duration keepDone, Clock clock, Consumer<K> onDone) {
        this.executor = executor;
        this.perEndpoint = perEndpoint;
        this.total = total;
        this.keepDone = keepDone;
        this.clock = clock;
        this.onDone = onDone;
    }

    /**
     * @param call    the blocking call, run off the pass
     * @param onError the outcome when the call throws (runners answer values; this is the safety net)
     * @return the finished outcome (handed over once), or empty while it runs or could not start yet
     */
    @SuppressWarnings("unchecked")
    public <T extends V> Optional<T> takeOrStart(K key, String endpoint, Supplier<T> call, Function<RuntimeException, T> onError) {
        synchronized (this) {
            sweep();
            Entry e = entries.get(key);
            if (e instanceof Done done) {
                entries.remove(key);
                return Optional.of((T) done.value());
            }
            if (e instanceof Running || running.getOrDefault(endpoint, 0) >= perEndpoint || runningTotal() >= total) {
                return Optional.empty();
            }
            entries.put(key, new Running(endpoint));
            running.merge(endpoint, 1, Integer::sum);
        }
        try {
            executor.execute(() -> finish(key, endpoint, run(call, onError)));
        } catch (RejectedExecutionException ex) {
            synchronized (this) {
                entries.remove(key);
                release(endpoint);
            }
            return Optional.empty();
        }
        synchronized (this) {
            // Finished already (a direct executor, as the in-memory tier uses): handed over in this pass.
            if (entries.get(key) instanceof Done done) {
                entries.remove(key);
                return Optional.of((T) done.value());
            }
        }
        return Optional.empty();
    }

    /** Whether a call for the key is running now. */
    public synchronized boolean running(K key) {
        return entries.get(key) instanceof Running;
    }

    /** Drops finished outcomes of the keys matched (a deleted cluster); running calls finish and are dropped later. */
    public synchronized void forget(Predicate<K> which) {
        entries.entrySet().removeIf(e -> which.test(e.getKey()) && e.getValue() instanceof Done);
    }

    public synchronized int size() {
        return entries.size();
    }

    private static <T> T run(Supplier<T> call, Function<RuntimeException, T> onError) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return onError.apply(e);
        }
    }

    private void finish(K key, String endpoint, Object value) {
        synchronized (this) {
            release(endpoint);
            entries.put(key, new Done(value, clock.instant()));
        }
        onDone.accept(key);
    }

    private void release(String endpoint) {
        running.computeIfPresent(endpoint, (k, n) -> n <= 1 ? null : n - 1);
    }

    private int runningTotal() {
        return running.values().stream().mapToInt(Integer::intValue).sum();
    }

    private void sweep() {
        Instant cutoff = clock.instant().minus(keepDone);
        entries.values().removeIf(e -> e instanceof Done d && d.at().isBefore(cutoff));
    }
}
