package io.autoheal.bootstrap;

import io.autoheal.cluster.ClusterWakeups;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bootstrapper and drainer calls, off the reconcile pass ({@link PendingCalls}): at most {@link #PER_ENDPOINT} calls
 * at a time to one endpoint, {@link #TOTAL} in all, on daemon threads; a finished call wakes its cluster, whose next
 * pass picks the outcome up. A call lost with the process (a restart) is made again by the next operator: a trigger
 * with the same attempt and so the same idempotency key.
 */
@ApplicationScoped
public class BootstrapCalls {
    static final int PER_ENDPOINT = 4;
    static final int TOTAL = 32;
    /** An outcome nobody picked up in this time (the machine left, the cluster was deleted) is dropped. */
    static final Duration KEEP_DONE = Duration.ofMinutes(10);

    /** One call: a cluster's machine's trigger (detail: the attempt) or status (detail: the job id), of bootstrap or drain. */
    public record Key(String cluster, String purpose, String instanceId, String call, String detail) {
    }

    private final ExecutorService executor;
    private final PendingCalls<Key, Object> calls;

    @Inject
    public BootstrapCalls(ClusterWakeups wakeups, Clock clock) {
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(0, TOTAL, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "bootstrap-call-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.calls = new PendingCalls<>(executor, PER_ENDPOINT, TOTAL, KEEP_DONE, clock, key -> wakeups.wake(key.cluster()));
    }

    /** For tests: calls run on the executor given. */
    public BootstrapCalls(PendingCalls<Key, Object> calls) {
        this.executor = null;
        this.calls = calls;
    }

    /** @param purpose "bootstrap" or "drain" */
    public Optional<TriggerResult> trigger(String cluster, String purpose, BootstrapRunner runner, BootstrapRequest request) {
        Key key = new Key(cluster, purpose, request.instanceId(), "trigger", Integer.toString(request.attempt()));
        return calls.takeOrStart(key, runner.endpoint(), () -> runner.trigger(request),
                e -> TriggerResult.failed(BootstrapFailure.Unreachable, "the " + purpose + " trigger failed: " + e.getClass().getSimpleName()));
    }

    public Optional<JobStatus> status(String cluster, String purpose, BootstrapRunner runner, String instanceId, String jobId, String host) {
        Key key = new Key(cluster, purpose, instanceId, "status", jobId);
        return calls.takeOrStart(key, runner.endpoint(), () -> runner.status(jobId, host),
                e -> JobStatus.unknown(BootstrapFailure.Unreachable, "the " + purpose + " status check failed: " + e.getClass().getSimpleName()));
    }

    /** Drops a deleted cluster's uncollected outcomes. */
    public void forget(String cluster) {
        calls.forget(k -> k.cluster().equals(cluster));
    }

    @PreDestroy
    void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
