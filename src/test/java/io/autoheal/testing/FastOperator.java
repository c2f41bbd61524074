package io.autoheal.testing;

import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.RemediationRecord;
import io.autoheal.bootstrap.BootstrapRunner;
import io.autoheal.bootstrap.BootstrapRunners;
import io.autoheal.bootstrap.BootstrapUrlGuard;
import io.autoheal.bootstrap.ClusterBootstrapper;
import io.autoheal.cluster.AwsNotices;
import io.autoheal.cluster.ClusterActuator;
import io.autoheal.cluster.ClusterDeleter;
import io.autoheal.cluster.ClusterObserver;
import io.autoheal.cluster.PlanExecutor;
import io.autoheal.cluster.ClusterIdentity;
import io.autoheal.cluster.DrainingDelete;
import io.autoheal.cluster.launch.LaunchFailureReporter;
import io.autoheal.metrics.LaunchMetrics;
import io.autoheal.bootstrap.ClusterDrainer;
import io.autoheal.bootstrap.JobLauncher;
import io.autoheal.discovery.DiscoveryPublisher;
import io.autoheal.discovery.DiscoveryWriter;
import io.autoheal.discovery.PublishedObjects;
import io.autoheal.discovery.SdRegistry;
import io.autoheal.discovery.TemplateSource;
import io.autoheal.cluster.ClusterReferences;
import io.autoheal.cluster.ClusterReporter;
import io.autoheal.cluster.ClusterWakeups;
import io.autoheal.cluster.HealingClusterReconciler;
import io.autoheal.cluster.RemediationJournal;
import io.autoheal.config.OperatorConfig;
import io.autoheal.eip.ElasticIpPoolReconciler;
import io.autoheal.eip.OrphanedAddresses;
import io.autoheal.eip.ExhaustionNotifier;
import io.autoheal.eip.PoolActuator;
import io.autoheal.eip.PoolObserver;
import io.autoheal.eip.PoolReporter;
import io.autoheal.fleet.CloudErrors;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import io.autoheal.metrics.BootstrapMetrics;
import io.autoheal.metrics.ClusterMetrics;
import io.autoheal.metrics.PoolMetrics;
import io.autoheal.metrics.ReconcileMetrics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The operator's real reconcilers (HealingClusterReconciler, ElasticIpPoolReconciler and everything below them) wired
 * by hand on an {@link InMemoryFleet}, with no API server: the custom resources live here, JOSDK's Context is a stub
 * that serves the informers' answers (a cluster's pool, a pool's clusters), and {@link #tick} is one resync of every
 * resource after the fleet's asynchronous work. Whole reconcile loops run in milliseconds.
 */
public final class FastOperator {
    public static final Instant START = Instant.parse("2026-11-30T03:00:00Z");
    public final TestClock clock;
    public final InMemoryFleet fleet;
    public final InMemoryTemplates templates = new InMemoryTemplates();
    public final Events events = new Events();
    public final StubRunner runner = new StubRunner();
    /** The remediation records' write: {@link Journal#refuse} makes it fail as a refused status patch would. */
    public final Journal journal = new Journal();
    /** status.awsIdentity writes (tenant.AwsIdentityRecorder): straight onto the object, counted. */
    public final IdentityRecords identityRecords = new IdentityRecords();
    public final List<HealingCluster> clusters = new ArrayList<>();
    public final List<ElasticIpPool> pools = new ArrayList<>();
    private final HealingClusterReconciler clusterReconciler;
    private final ElasticIpPoolReconciler poolReconciler;

    /** When set, the runner of every cluster's bootstrap and drain instead of {@link #runner} (e.g. a real HTTP runner). */
    public volatile BootstrapRunner runnerOverride;
    /** When each cluster's last pass asked to be looked at again (by name): JOSDK's rescheduleAfter, which ticks ignore. */
    public final Map<String, Duration> nextPass = new java.util.concurrent.ConcurrentHashMap<>();
    public final io.autoheal.retry.RegionBackoff regionBackoff;
    /** Application-health failures a test names (probes, target health, alerts stand-in); more sources via the builder. */
    public final ScriptedHealthSignals appHealth = new ScriptedHealthSignals();
    /** The TenantPolicies (and namespace labels) the reconcilers check against; the mode is the setting autoheal.tenant-policy.mode. */
    public final InMemoryTenantPolicies tenantPolicies = new InMemoryTenantPolicies();

    /** The defaults: the operator's own configuration defaults, the clock at {@link #START}. */
    public FastOperator() {
        this(builder());
    }

    /** @param callExecutor runs bootstrapper and drainer calls (the default runs them on the pass's thread) */
    public FastOperator(java.util.concurrent.Executor callExecutor) {
        this(builder().callExecutor(callExecutor));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What a fast-tier test may choose: operator settings (as application.properties keys), the start time, the call executor. */
    public static final class Builder {
        private final Map<String, String> settings = new java.util.LinkedHashMap<>();
        private Instant start = START;
        private java.util.concurrent.Executor callExecutor = Runnable::run;
        private final List<io.autoheal.health.HealthSignalSource> healthSources = new java.util.ArrayList<>();
        private io.autoheal.tenant.TenantIdentities tenants; // null: the roles of the operator's tenantPolicies (TenantSnapshot.roleArn)

        private Builder() {
        }

        /** Which namespaces act with a tenant's role; default: their TenantPolicy's aws.roleArn in {@link #tenantPolicies}, as in production. */
        public Builder tenants(io.autoheal.tenant.TenantIdentities tenants) {
            this.tenants = tenants;
            return this;
        }

        /** An operator setting, e.g. {@code setting("autoheal.bootstrap.retry-backoff", "1m")}. */
        public Builder setting(String key, String value) {
            settings.put(key, value);
            return this;
        }

        public Builder startingAt(Instant start) {
            this.start = start;
            return this;
        }

        /** Runs bootstrapper and drainer calls (default: on the pass's thread, so a call's outcome is taken in the same pass). */
        public Builder callExecutor(java.util.concurrent.Executor callExecutor) {
            this.callExecutor = callExecutor;
            return this;
        }

        /**
         * One more application-health source (the operator always has {@link #appHealth} too); one that is also a
         * {@link io.autoheal.health.HealthWatch} (the prober) is told every pass and sets its conditions.
         */
        public Builder healthSource(io.autoheal.health.HealthSignalSource source) {
            healthSources.add(source);
            return this;
        }

        public FastOperator build() {
            return new FastOperator(this);
        }
    }

    private FastOperator(Builder b) {
        clock = new TestClock(b.start);
        fleet = new InMemoryFleet(clock);
        regionBackoff = new io.autoheal.retry.RegionBackoff(clock, io.autoheal.retry.Jitter.none());
        OperatorConfig config = new SmallRyeConfigBuilder().withMapping(OperatorConfig.class)
                .withSources(new io.smallrye.config.PropertiesConfigSource(b.settings, "FastOperator.Builder", 500))
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter()).build()
                .getConfigMapping(OperatorConfig.class);
        // No API server in this tier: every adapter that would talk to one gets a client that says so when used.
        KubernetesClient kube = NoApiServer.client();
        CloudErrors errors = new CloudErrors();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ClusterMetrics clusterMetrics = new ClusterMetrics(registry);
        PoolMetrics poolMetrics = new PoolMetrics(registry);
        ReconcileMetrics reconcileMetrics = new ReconcileMetrics(registry);
        BootstrapUrlGuard urlGuard = new BootstrapUrlGuard(config, kube);
        BootstrapRunners runners = new BootstrapRunners(config, kube, new JobLauncher(kube), urlGuard) {
            @Override
            public BootstrapRunner forCluster(HealingCluster hc) {
                return runnerOverride != null ? runnerOverride : runner;
            }

            @Override
            public BootstrapRunner forDrain(HealingCluster hc) {
                return runnerOverride != null ? runnerOverride : runner; // the same stub: a drain job is a bootstrap job with the drain role
            }
        };
        LaunchFailureReporter launches = new LaunchFailureReporter(events, new LaunchMetrics(registry));
        ClusterObserver observer = new ClusterObserver(new AwsNotices(clock), config,
                java.util.stream.Stream.concat(java.util.stream.Stream.of((io.autoheal.health.HealthSignalSource) appHealth), b.healthSources.stream()).toList());
        PlanExecutor executor = new PlanExecutor(fleet, journal, events, clusterMetrics, errors);
        // Calls run on the builder's executor (by default the caller's thread: PendingCalls hands over a call done at once).
        io.autoheal.bootstrap.BootstrapCalls calls = new io.autoheal.bootstrap.BootstrapCalls(new io.autoheal.bootstrap.PendingCalls<>(
                b.callExecutor, 4, 32, Duration.ofMinutes(10), clock, key -> { }));
        ClusterBootstrapper bootstrapper = new ClusterBootstrapper(config, fleet, fleet, runners, events,
                new BootstrapMetrics(registry, clusterMetrics), errors, calls);
        ClusterIdentity identity = new ClusterIdentity(config, fleet);
        io.autoheal.tenant.AwsScopes scopes = new io.autoheal.tenant.AwsScopes(
                b.tenants != null ? b.tenants : io.autoheal.tenant.TenantIdentities.of(tenantPolicies), config);
        ClusterDrainer drainer = new ClusterDrainer(config, fleet, fleet, runners, events, errors, calls);
        ClusterActuator actuator = new ClusterActuator(fleet, fleet, templates, events, observer, executor, bootstrapper, new ClusterWakeups(),
                drainer, errors, identity);
        DrainingDelete draining = new DrainingDelete(fleet, fleet, drainer, events, errors, kube, clock) {
            @Override
            protected void record(HealingCluster hc, List<io.autoheal.api.v1alpha1.InstanceStatus> rows) {
                hc.getStatus().instances = rows; // no API server here: the object is the stored one
            }
        };
        PublishedObjects published = new PublishedObjects();
        DiscoveryPublisher discovery = new DiscoveryPublisher(new DiscoveryWriter(kube, published), published, new TemplateSource(kube),
                new SdRegistry(), events);
        io.autoheal.tenant.TenantScopeGuard scopeGuard = new io.autoheal.tenant.TenantScopeGuard(identityRecords, events);
        clusterReconciler = new HealingClusterReconciler(config, clock, new ClusterReferences(kube, urlGuard),
                actuator, new ClusterReporter(clusterMetrics, events, launches),
                new ClusterDeleter(fleet, fleet, templates, events, clusterMetrics, runners, launches,
                        new OrphanedAddresses(fleet, fleet, config, events), identity, draining),
                events, reconcileMetrics, new ClusterWakeups(), discovery, errors, regionBackoff, scopes,
                b.healthSources.stream().filter(io.autoheal.health.HealthWatch.class::isInstance).map(io.autoheal.health.HealthWatch.class::cast).toList(),
                new io.autoheal.tenant.TenantGate(tenantPolicies, config), scopeGuard);
        ExhaustionNotifier notifier = new ExhaustionNotifier(config, kube, poolMetrics) {
            @Override
            public void notify(String namespace, String pool, String text) {
                // no webhook here
            }
        };
        poolReconciler = new ElasticIpPoolReconciler(config, clock, new PoolObserver(fleet), new PoolActuator(fleet, events, poolMetrics, errors),
                new PoolReporter(events, poolMetrics, notifier), fleet, events, poolMetrics, reconcileMetrics, errors, scopes,
                new io.autoheal.tenant.TenantGate(tenantPolicies, config), scopeGuard);
    }

    /** Moves the clock, lets the fleet do its asynchronous work, then reconciles every cluster and every pool once. */
    public void tick(Duration step) {
        clock.advance(step);
        fleet.step();
        for (HealingCluster hc : clusters) {
            Optional<ElasticIpPool> pool = hc.getSpec().elasticIps == null ? Optional.empty() : pools.stream()
                    .filter(p -> p.getMetadata().getNamespace().equals(hc.getMetadata().getNamespace())
                            && p.getMetadata().getName().equals(hc.getSpec().elasticIps.poolRef)).findFirst();
            Context<HealingCluster> context = context(type -> type == ElasticIpPool.class ? pool.map(Set::of).orElse(Set.of()) : Set.of());
            reconcile(hc, () -> {
                UpdateControl<HealingCluster> control = clusterReconciler.reconcile(hc, context);
                control.getScheduleDelay().ifPresent(ms -> nextPass.put(hc.getMetadata().getName(), Duration.ofMillis(ms)));
                return control;
            }, e -> clusterReconciler.updateErrorStatus(hc, context, e));
        }
        for (ElasticIpPool pool : pools) {
            Set<HealingCluster> naming = new LinkedHashSet<>(clusters.stream().filter(hc -> hc.getSpec().elasticIps != null
                    && pool.getMetadata().getName().equals(hc.getSpec().elasticIps.poolRef)).toList());
            Context<ElasticIpPool> context = context(type -> type == HealingCluster.class ? naming : Set.of());
            reconcile(pool, () -> poolReconciler.reconcile(pool, context), e -> poolReconciler.updateErrorStatus(pool, context, e));
        }
    }

    /**
     * kubectl delete: the cluster is marked deleted and its cleaner runs once per tick (the fleet stepping between) until
     * it lets the finalizer go, at most {@code ticks} times; then the object is gone.
     *
     * @return whether the finalizer went
     */
    public boolean delete(HealingCluster hc, int ticks, Duration step) {
        hc.getMetadata().setDeletionTimestamp(clock.instant().toString());
        for (int i = 0; i < ticks; i++) {
            clock.advance(step);
            fleet.step();
            if (clusterReconciler.cleanup(hc, context(type -> Set.of())).isRemoveFinalizer()) {
                clusters.remove(hc);
                return true;
            }
        }
        return false;
    }

    /** {@code times} ticks of {@code step}. */
    public void run(int times, Duration step) {
        for (int i = 0; i < times; i++) {
            tick(step);
        }
    }

    /** As JOSDK: a failed pass goes to updateErrorStatus (the status it sets is written). The status lives on the object. */
    private static <R extends HasMetadata> void reconcile(R resource, java.util.function.Supplier<UpdateControl<R>> pass, Function<Exception, ?> onError) {
        try {
            pass.get();
        } catch (RuntimeException e) {
            onError.apply(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <P extends HasMetadata> Context<P> context(Function<Class<?>, Set<?>> secondaries) {
        return (Context<P>) Proxy.newProxyInstance(FastOperator.class.getClassLoader(), new Class<?>[]{Context.class}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "getSecondaryResources" -> secondaries.apply((Class<?>) args[0]);
                    case "getSecondaryResource" -> secondaries.apply((Class<?>) args[0]).stream().findFirst();
                    case "toString" -> "FastOperator.Context";
                    case "hashCode" -> 0;
                    default -> throw new UnsupportedOperationException("the fast tier's Context has no " + method.getName());
                });
    }

    /** Events as recorded: reason and message, in order. */
    public static final class Events extends EventRecorder {
        public record Recorded(String object, Reason reason, String action, String message, boolean warning) {
        }

        public final List<Recorded> recorded = new ArrayList<>();

        Events() {
            super(NoApiServer.client(), java.time.Clock.systemUTC());
        }

        @Override
        public void normal(HasMetadata target, Reason reason, String action, String message) {
            recorded.add(new Recorded(target.getMetadata().getName(), reason, action, message, false));
        }

        @Override
        public void warning(HasMetadata target, Reason reason, String action, String message) {
            recorded.add(new Recorded(target.getMetadata().getName(), reason, action, message, true));
        }

        public long count(Reason reason) {
            return recorded.stream().filter(r -> r.reason() == reason).count();
        }
    }

    /** The replacement records go straight onto the object's status, as the journal's patch would put them on the server's. */
    public static final class Journal extends RemediationJournal {
        private boolean refused;

        Journal() {
            super(NoApiServer.client());
        }

        /** While refused, every write fails as the API server's refusal of the status patch does. */
        public void refuse(boolean refused) {
            this.refused = refused;
        }

        @Override
        public List<RemediationRecord> append(HealingCluster hc, List<RemediationRecord> added, java.time.Instant now) {
            if (refused) {
                throw new KubernetesClientException("the fast tier refuses the status patch (test)", 422, null);
            }
            List<RemediationRecord> records = io.autoheal.cluster.healing.JournalRecords.append(
                    hc.getStatus() == null ? null : hc.getStatus().recentRemediations, added, now);
            if (hc.getStatus() != null) {
                hc.getStatus().recentRemediations = new ArrayList<>(records);
            }
            return records;
        }
    }

    /** The identity records go straight onto the object's status, as the recorder's patch would put them on the server's. */
    public static final class IdentityRecords extends io.autoheal.tenant.AwsIdentityRecorder {
        public int writes;

        IdentityRecords() {
            super(NoApiServer.client());
        }

        @Override
        public <T extends HasMetadata> Written write(T resource, io.autoheal.api.v1alpha1.AwsIdentityStatus identity,
                                                     Function<T, io.autoheal.api.v1alpha1.AwsIdentityStatus> storedOf) {
            writes++;
            if (resource instanceof HealingCluster hc) {
                if (hc.getStatus() == null) {
                    hc.setStatus(new io.autoheal.api.v1alpha1.HealingClusterStatus());
                }
                hc.getStatus().awsIdentity = identity;
            } else if (resource instanceof ElasticIpPool pool) {
                if (pool.getStatus() == null) {
                    pool.setStatus(new io.autoheal.api.v1alpha1.ElasticIpPoolStatus());
                }
                pool.getStatus().awsIdentity = identity;
            }
            return new Written(true, identity);
        }
    }

    /** A bootstrapper that starts a job per trigger and answers each job's polls from a script (the last answer repeats). */
    public static final class StubRunner implements BootstrapRunner {
        public final List<io.autoheal.bootstrap.BootstrapRequest> triggered = new ArrayList<>();
        private final Map<String, Integer> polls = new java.util.HashMap<>();
        private List<io.autoheal.bootstrap.JobStatus> script = List.of(io.autoheal.bootstrap.JobStatus.of(io.autoheal.bootstrap.BootstrapPhase.Succeeded));

        public void answer(io.autoheal.bootstrap.JobStatus... answers) {
            script = List.of(answers);
        }

        @Override
        public io.autoheal.bootstrap.TriggerResult trigger(io.autoheal.bootstrap.BootstrapRequest request) {
            triggered.add(request);
            return io.autoheal.bootstrap.TriggerResult.started("job-" + triggered.size());
        }

        @Override
        public io.autoheal.bootstrap.JobStatus status(String jobId, String host) {
            int n = polls.merge(jobId, 1, Integer::sum);
            return script.get(Math.min(n, script.size()) - 1);
        }
    }
}
