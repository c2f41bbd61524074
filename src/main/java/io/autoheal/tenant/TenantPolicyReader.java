package io.autoheal.tenant;

import io.autoheal.api.v1alpha1.TenantPolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The operator's one reader of TenantPolicies: two informers (TenantPolicies, Namespaces; one LIST each, then watches),
 * started in the background at start-up, so no reconcile thread ever waits on a read. Each pass gets the current
 * {@link TenantSnapshot} (rebuilt only after a change): the TenantPolicy check and the AWS identity decide from it.
 * <ul>
 * <li>CRD not installed (404): NO_CRD, looked for again every 10 s ({@link ReadRetry}), so a CRD installed later is
 * noticed; a CRD deleted while read is noticed within 10 s ({@link #checkCrd}) and it is NO_CRD again.</li>
 * <li>Any other failure of the first read (RBAC, API server): SYNCING, retried with back-off from 1 s to 30 s, a new
 * informer each time (a failed one is never left dead).</li>
 * </ul>
 */
@ApplicationScoped
public class TenantPolicyReader implements TenantPolicySource, TenantIdentities {
    private final KubernetesClient client;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tenant-policy-reader");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean started = new AtomicBoolean();
    private final Object lock = new Object();
    private volatile TenantSnapshot current;
    private volatile boolean changed;
    // guarded by lock
    private SharedIndexInformer<TenantPolicy> policies;
    private SharedIndexInformer<Namespace> namespaces;
    private long attempt;
    private int failures;
    private boolean closed;
    private volatile String lastProblem = "";

    public TenantPolicyReader(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
        this.current = TenantSnapshot.syncing(clock.instant(), "");
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    /** Starts reading in the background (once); returns at once. */
    public void start() {
        if (started.compareAndSet(false, true)) {
            timer.execute(this::attempt);
        }
    }

    @Override
    public TenantSnapshot snapshot() {
        start();
        TenantSnapshot s = current;
        if (s.state() == TenantSnapshot.State.SYNCED && changed) {
            synchronized (lock) {
                if (current.state() == TenantSnapshot.State.SYNCED && changed) {
                    changed = false; // before reading the stores: a change during the copy makes the next call copy again
                    current = read(current.since());
                }
                s = current;
            }
        }
        return s;
    }

    @Override
    public Optional<String> roleArn(String namespace) {
        return snapshot().roleArn(namespace);
    }

    /** On the timer thread: a new pair of informers, started without waiting; their outcome arrives in {@link #settled}. */
    private void attempt() {
        long generation;
        SharedIndexInformer<TenantPolicy> p;
        SharedIndexInformer<Namespace> n;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closeInformers();
            generation = ++attempt;
            ResourceEventHandler<HasMetadata> onChange = new ResourceEventHandler<>() {
                @Override
                public void onAdd(HasMetadata o) {
                    changed = true;
                }

                @Override
                public void onUpdate(HasMetadata before, HasMetadata after) {
                    changed = true;
                }

                @Override
                public void onDelete(HasMetadata o, boolean unknownFinalState) {
                    changed = true;
                }
            };
            try {
                p = client.resources(TenantPolicy.class).runnableInformer(0);
                n = client.namespaces().runnableInformer(0);
            } catch (RuntimeException e) {
                failed(generation, e);
                return;
            }
            p.exceptionHandler(this::retryInInformer).addEventHandler(onChange);
            n.exceptionHandler(this::retryInInformer).addEventHandler(onChange);
            policies = p;
            namespaces = n;
        }
        CompletableFuture<Void> first = CompletableFuture.allOf(p.start().toCompletableFuture(), n.start().toCompletableFuture());
        first.whenComplete((ok, e) -> timer.execute(() -> settled(generation, e)));
        p.stopped().whenComplete((ok, e) -> timer.execute(() -> stopped(generation, e)));
        n.stopped().whenComplete((ok, e) -> timer.execute(() -> stopped(generation, e)));
    }

    /**
     * fabric8 asks whether a started informer should keep trying after a failed list or watch. A 404 is the CRD gone:
     * stop (NO_CRD, and looked for again). Before the first list nothing retries inside: {@link #attempt} does, with
     * back-off and a fresh informer.
     */
    private boolean retryInInformer(boolean isStarted, Throwable t) {
        lastProblem = ReadRetry.describe(t);
        if (isStarted && !ReadRetry.notFound(t)) {
            Log.debugf("TenantPolicy or Namespace watch failed (retried by the informer): %s", lastProblem);
        }
        return isStarted && !ReadRetry.notFound(t) && !ExceptionHandler.isDeserializationException(t);
    }

    private void settled(long generation, Throwable failure) {
        synchronized (lock) {
            if (closed || generation != attempt) {
                return;
            }
            if (failure == null) {
                failures = 0;
                changed = false;
                current = read(clock.instant());
                Log.infof("TenantPolicies read: %d, watched from now on", current.policies().size());
                timer.schedule(() -> checkCrd(generation), ReadRetry.NO_CRD_RECHECK.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            failed(generation, failure);
        }
    }

    /** A started informer stopped on its own (its handler said stop: the CRD deleted): forget what it held, read again. */
    private void stopped(long generation, Throwable failure) {
        synchronized (lock) {
            if (closed || generation != attempt || current.state() != TenantSnapshot.State.SYNCED) {
                return; // ours closed it, or the first list failed (settled() handles that)
            }
            failed(generation, failure != null ? failure : new IllegalStateException("informer stopped: " + lastProblem));
        }
    }

    /**
     * Every 10 s while read: a watch that is down may be the CRD deleted (fabric8 then retries the watch forever and
     * keeps its last store), so one LIST of at most one policy tells; a 404 makes it NO_CRD (and looked for again).
     */
    private void checkCrd(long generation) {
        SharedIndexInformer<TenantPolicy> p;
        synchronized (lock) {
            if (closed || generation != attempt || current.state() != TenantSnapshot.State.SYNCED) {
                return;
            }
            p = policies;
        }
        if (!p.isWatching()) {
            try {
                client.resources(TenantPolicy.class).list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(1L).build());
            } catch (RuntimeException e) {
                if (ReadRetry.notFound(e)) {
                    synchronized (lock) {
                        if (!closed && generation == attempt) {
                            failed(generation, e);
                        }
                    }
                    return;
                }
            }
        }
        timer.schedule(() -> checkCrd(generation), ReadRetry.NO_CRD_RECHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Under lock: the state a failure leaves, the informers closed, the next attempt scheduled. */
    private void failed(long generation, Throwable failure) {
        TenantSnapshot.State state = ReadRetry.after(failure);
        String problem = ReadRetry.describe(failure);
        TenantSnapshot before = current;
        failures = state == TenantSnapshot.State.NO_CRD ? 0 : failures + 1;
        if (state == TenantSnapshot.State.NO_CRD) {
            current = before.state() == state ? before : TenantSnapshot.noCrd(clock.instant());
            if (before.state() != state) {
                Log.infof("no TenantPolicy CRD (tenantpolicies.autoheal.io): no namespace has a policy; looked for again every %ds",
                        ReadRetry.NO_CRD_RECHECK.toSeconds());
            }
        } else {
            current = TenantSnapshot.syncing(before.state() == state ? before.since() : clock.instant(), problem);
            if (!problem.equals(before.problem())) {
                Log.warnf("cannot read the TenantPolicies (clusters and pools wait; retried with back-off): %s", problem);
            }
        }
        closeInformers();
        Duration next = ReadRetry.nextAttempt(state, failures);
        timer.schedule(() -> {
            if (generation == attempt) {
                attempt();
            }
        }, next.toMillis(), TimeUnit.MILLISECONDS);
    }

    private TenantSnapshot read(java.time.Instant since) {
        Map<String, Map<String, String>> labels = new HashMap<>();
        for (Namespace n : namespaces.getStore().list()) {
            Map<String, String> l = n.getMetadata().getLabels();
            if (l != null && !l.isEmpty()) {
                labels.put(n.getMetadata().getName(), Map.copyOf(l));
            }
        }
        return TenantSnapshot.synced(policies.getStore().list(), labels, since);
    }

    private void closeInformers() {
        if (policies != null) {
            policies.close();
        }
        if (namespaces != null) {
            namespaces.close();
        }
        policies = null;
        namespaces = null;
    }

    @PreDestroy
    void stop() {
        synchronized (lock) {
            closed = true;
            closeInformers();
        }
        timer.shutdownNow();
    }
}
