package io.autoheal.config;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.logging.Log;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Reads the Lease while this replica leads and tells {@link Leadership} who holds it and when it was last renewed: the
 * input of the {@link Fence}. fabric8's elector says nothing about its renewals, so the fence reads them from the Lease
 * itself (a GET every half retry period; the Role already grants get on the Lease). A failed read keeps the last
 * observation, which only ages: a replica cut off from the API server closes its own fence.
 */
final class LeaseRenewals {
    /** Reads the Lease; empty when it does not exist. */
    @FunctionalInterface
    interface Reader {
        Optional<Fence.Renewal> read();

        Reader NONE = Optional::empty;
    }

    private final Reader reader;
    private final Duration every;
    private volatile ScheduledExecutorService thread;

    LeaseRenewals(Reader reader, Duration retryPeriod) {
        this.reader = reader;
        Duration half = retryPeriod.dividedBy(2);
        this.every = half.compareTo(Duration.ofMillis(200)) < 0 ? Duration.ofMillis(200) : half;
    }

    static Reader reader(Supplier<KubernetesClient> client, String namespace, String name) {
        return () -> Optional.ofNullable(client.get().leases().inNamespace(namespace).withName(name).get()).map(LeaseRenewals::renewal);
    }

    static Fence.Renewal renewal(Lease lease) {
        var spec = lease.getSpec();
        if (spec == null) {
            return new Fence.Renewal(null, null);
        }
        Instant renewed = spec.getRenewTime() == null ? null : spec.getRenewTime().toInstant();
        return new Fence.Renewal(spec.getHolderIdentity(), renewed);
    }

    /** Reads once now (so the first pass after acquiring finds its fence open), then keeps reading. */
    synchronized void start() {
        if (reader == Reader.NONE || thread != null) {
            return;
        }
        readOnce();
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "autoheal-lease-fence");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::readOnce, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    void readOnce() {
        try {
            reader.read().ifPresent(r -> {
                Fence.Renewal before = Leadership.lastObserved();
                String was = before == null ? null : before.holder();
                if (was != null && !java.util.Objects.equals(was, r.holder())) {
                    Log.warnf("leader election: the Lease is now held by %s (was %s): this replica's writes are fenced", r.holder(), was);
                }
                Leadership.observed(r);
            });
        } catch (RuntimeException e) {
            Log.debugf("leader election: cannot read the Lease (%s); the fence ages from the last renewal seen", e.getMessage());
        }
    }
}
