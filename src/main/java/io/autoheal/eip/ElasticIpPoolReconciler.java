package io.autoheal.eip;

import io.autoheal.fleet.AwsScope;
import io.autoheal.tenant.AwsScopes;
import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.ElasticIpPoolStatus;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.ReclaimPolicy;
import io.autoheal.fleet.ObservedAddress;
import io.autoheal.fleet.Tags;
import io.autoheal.config.OperatorConfig;
import io.autoheal.fleet.AddressWrites;
import io.autoheal.fleet.CloudErrors;
import io.autoheal.fleet.CloudFailure;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import io.autoheal.kube.StatusChange;
import io.autoheal.metrics.PoolMetrics;
import io.autoheal.metrics.ReconcileMetrics;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one decider for a pool's addresses, for every cluster that uses it (so two clusters never race inside one
 * operator): observe (one DescribeAddresses, one DescribeInstances) → plan (pure) → act → report. Runs on its
 * resync and whenever a cluster naming the pool changes (its status lists new instances).
 */
@ControllerConfiguration(name = ElasticIpPoolReconciler.NAME)
public class ElasticIpPoolReconciler implements Reconciler<ElasticIpPool>, Cleaner<ElasticIpPool>, ConfigurableReconciler<ElasticIpPool> {
    public static final String NAME = "elasticippool";

    /** JOSDK's retry of a failed pass, jittered (±20 %); its settings stay in application.properties. */
    @Override
    public void updateConfigurationFrom(ControllerConfigurationOverrider<ElasticIpPool> configuration) {
        configuration.withRetry(io.autoheal.retry.JitteredRetry.configured(NAME));
    }

    private final OperatorConfig config;
    private final Clock clock;
    private final PoolObserver observer;
    private final PoolActuator actuator;
    private final PoolReporter reporter;
    private final AddressWrites gateway;
    private final CloudErrors errors;
    private final EventRecorder events;
    private final PoolMetrics metrics;
    private final ReconcileMetrics reconcileMetrics;
    private final io.autoheal.tenant.TenantGate tenants;

    private final AwsScopes scopes;
    private final io.autoheal.tenant.TenantScopeGuard scopeGuard;

    public ElasticIpPoolReconciler(OperatorConfig config, Clock clock, PoolObserver observer, PoolActuator actuator,
                                   PoolReporter reporter, AddressWrites gateway, EventRecorder events, PoolMetrics metrics,
                                   ReconcileMetrics reconcileMetrics, CloudErrors errors, AwsScopes scopes, io.autoheal.tenant.TenantGate tenants,
                                   io.autoheal.tenant.TenantScopeGuard scopeGuard) {
        this.tenants = tenants;
        this.scopeGuard = scopeGuard;
        this.errors = errors;
        this.scopes = scopes;
        this.reconcileMetrics = reconcileMetrics;
        this.config = config;
        this.clock = clock;
        this.observer = observer;
        this.actuator = actuator;
        this.reporter = reporter;
        this.gateway = gateway;
        this.events = events;
        this.metrics = metrics;
    }

    @Override
    public List<EventSource<?, ElasticIpPool>> prepareEventSources(EventSourceContext<ElasticIpPool> context) {
        var clusters = InformerEventSourceConfiguration.from(HealingCluster.class, ElasticIpPool.class)
                .withSecondaryToPrimaryMapper(hc -> hc.getSpec() == null || hc.getSpec().elasticIps == null ? Set.of()
                        : Set.of(new ResourceID(hc.getSpec().elasticIps.poolRef, hc.getMetadata().getNamespace())))
                .build();
        return List.of(new InformerEventSource<>(clusters, context));
    }

    @Override
    public UpdateControl<ElasticIpPool> reconcile(ElasticIpPool pool, Context<ElasticIpPool> context) {
        long started = System.nanoTime();
        String outcome = "error";
        try {
            UpdateControl<ElasticIpPool> control = pass(pool, context.getSecondaryResources(HealingCluster.class));
            outcome = Conditions.isTrue(pool.getStatus().conditions, ConditionType.Ready) ? "success" : "blocked";
            return control;
        } finally {
            reconcileMetrics.record(NAME, outcome, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private UpdateControl<ElasticIpPool> pass(ElasticIpPool pool, Set<HealingCluster> naming) {
        Instant now = clock.instant();
        ElasticIpPoolStatus previous = pool.getStatus() == null ? new ElasticIpPoolStatus() : pool.getStatus();
        Conditions conditions = new Conditions(previous.conditions, pool.getMetadata().getGeneration(), now);
        List<ObservedAddress> addresses;
        AwsScope scope = ownScope(pool);
        io.autoheal.tenant.TenantVerdict readable = tenants.readable(pool.getMetadata().getNamespace());
        if (readable.waiting()) {
            return waitForTenantPolicies(pool, previous, conditions, readable, now);
        }
        try {
            scope = scope(pool);
            // Before any AWS call: the identity the pool's addresses live in (recorded first, when it is not yet).
            Optional<String> moved = scopeGuard.admit(pool, "ElasticIpPool", scope, ElasticIpPoolReconciler::recorded, id -> {
                previous.awsIdentity = id;
                pool.setStatus(previous); // any status this pass writes, an error status too, carries it
            });
            if (moved.isPresent()) {
                events.warning(pool, Reason.TenantScopeChanged, "Validate", moved.get());
                return write(pool, previous, reporter.problem(pool, previous, conditions, scope, Reason.TenantScopeChanged, moved.get()))
                        .rescheduleAfter(io.autoheal.retry.Jitter.SHARED.spread(config.resyncInterval()));
            }
            addresses = observer.addresses(pool, scope, config.installationId());
            // Before any AWS write: the namespace's TenantPolicy as it is now, listed addresses judged by their tags.
            io.autoheal.tenant.TenantVerdict tenant = tenants.pool(pool, addresses);
            if (tenant.waiting()) {
                return waitForTenantPolicies(pool, previous, conditions, tenant, now);
            }
            if (!tenant.allowed()) {
                events.warning(pool, Reason.NotAllowedByTenantPolicy, "Validate", tenant.message());
                return write(pool, previous, reporter.problem(pool, previous, conditions, scope, Reason.NotAllowedByTenantPolicy,
                        tenant.message())).rescheduleAfter(io.autoheal.retry.Jitter.SHARED.spread(config.resyncInterval()));
            }
            if (pool.getSpec().allocate != null && addresses.size() < pool.getSpec().allocate.count) {
                allocate(pool, scope, pool.getSpec().allocate.count - addresses.size());
                addresses = observer.addresses(pool, scope, config.installationId());
            }
        } catch (CloudFailure e) {
            // a 4xx, or the namespace's role (TenantPolicy) not usable: this pool's problem, said once, retried slowly
            if (!errors.isBadInput(e) && e.reason() != Reason.TenantRoleNotAssumed) {
                throw e;
            }
            Reason reason = errors.reason(e);
            events.warning(pool, reason, errors.operation(e).orElse("DescribeAddresses"), errors.describe(e));
            return write(pool, previous, reporter.problem(pool, previous, conditions, scope, reason, errors.describe(e)))
                    .rescheduleAfter(io.autoheal.retry.Jitter.SHARED.spread(Duration.ofMinutes(2)));
        }
        List<HealingCluster> clusters = observer.clusters(pool, naming, scope, config.region());
        var instances = observer.instances(scope, clusters);
        PoolClaim claim = claim(pool);
        releaseStaleClaims(pool, scope, claim, addresses, "no longer listed or selected by this pool");
        List<CandidateInstance> candidates = PoolInputs.candidates(instances, clusters, addresses);
        AllocationPlan planned = AddressAllocator.plan(PoolInputs.addresses(addresses, claim), candidates);
        AssociateWhenRunning when = AssociateWhenRunning.of(planned, candidates);
        AllocationPlan plan = when.plan();
        PoolActuator.Result result = actuator.execute(pool, scope, plan, clusters, claim);
        return write(pool, previous, reporter.report(pool, previous, conditions, scope, plan, result.refusedAssociations(), now)).rescheduleAfter(
                io.autoheal.retry.Jitter.SHARED.resync(PoolRequeue.after(plan.associate().size() + plan.disassociate().size(), result,
                        config.resyncInterval(), !plan.awaitingRelease().isEmpty(), !when.deferred().isEmpty()), config.resyncInterval()));
    }

    /**
     * The TenantPolicies are not read (yet): nothing decided, no AWS call; looked at again soon, and said (condition +
     * Event, once) only when the wait lasts.
     */
    private UpdateControl<ElasticIpPool> waitForTenantPolicies(ElasticIpPool pool, ElasticIpPoolStatus previous, Conditions conditions,
                                                               io.autoheal.tenant.TenantVerdict wait, Instant now) {
        Duration retry = io.autoheal.retry.Jitter.SHARED.spread(io.autoheal.tenant.TenantVerdict.WAIT_RETRY);
        boolean shown = Conditions.find(previous.conditions, ConditionType.Ready)
                .filter(c -> Reason.TenantPoliciesNotRead.name().equals(c.getReason())).isPresent();
        if (shown || !wait.worthSaying(now)) {
            return write(pool, previous, previous).rescheduleAfter(retry); // nothing written: the status as it was
        }
        events.warning(pool, Reason.TenantPoliciesNotRead, "Validate", wait.message());
        return write(pool, previous, reporter.problem(pool, previous, conditions, ownScope(pool), Reason.TenantPoliciesNotRead,
                wait.message())).rescheduleAfter(retry);
    }

    /**
     * Removes this pool's claim from addresses it no longer lists or selects ({@link StaleClaims}); the association stays.
     * A failure is reported and the next pass tries again.
     *
     * @return whether every stale claim is gone
     */
    private boolean releaseStaleClaims(ElasticIpPool pool, AwsScope scope, PoolClaim claim, List<ObservedAddress> current, String why) {
        List<String> stale = StaleClaims.toRelease(observer.claimedBy(claim, scope), current);
        List<String> released = new ArrayList<>();
        for (String id : stale) {
            try {
                gateway.unclaim(scope, id, claim.value());
                released.add(id);
            } catch (CloudFailure e) {
                events.warning(pool, errors.reason(e), "DeleteTags", "Could not remove this pool's claim from " + id
                        + " (the next pass tries again): " + errors.describe(e));
            }
        }
        if (!released.isEmpty()) {
            events.normal(pool, Reason.AddressesUnclaimed, "DeleteTags", "Removed this pool's claim (" + Tags.CLAIMED_BY + "="
                    + claim.value() + ") from " + released.size() + " address(es) " + why + ", associated ones left where they are: "
                    + PoolActuator.shortList(released));
        }
        return released.size() == stale.size();
    }

    /** Patches the status only when it changed: a pool at rest costs the API server no write per resync. */
    private static UpdateControl<ElasticIpPool> write(ElasticIpPool pool, ElasticIpPoolStatus previous, ElasticIpPoolStatus status) {
        boolean changed = StatusChange.changed(previous, status);
        pool.setStatus(status);
        return changed ? UpdateControl.patchStatus(pool) : UpdateControl.noUpdate();
    }

    private void allocate(ElasticIpPool pool, AwsScope scope, int missing) {
        for (int i = 0; i < missing; i++) {
            gateway.allocate(scope, pool.ownerKey(), config.installationId(), claim(pool).value());
        }
        events.normal(pool, Reason.AddressesAllocated, "AllocateAddress", "Allocated " + missing + " Elastic IP(s), tagged "
                + Tags.POOL + "=" + pool.ownerKey() + " and claimed (" + Tags.CLAIMED_BY + "=" + claim(pool).value() + ")");
    }

    private PoolClaim claim(ElasticIpPool pool) {
        return PoolClaim.of(config.installationId(), pool);
    }

    @Override
    public ErrorStatusUpdateControl<ElasticIpPool> updateErrorStatus(ElasticIpPool pool, Context<ElasticIpPool> context, Exception e) {
        ElasticIpPoolStatus previous = pool.getStatus() == null ? new ElasticIpPoolStatus() : pool.getStatus();
        Conditions conditions = new Conditions(previous.conditions, pool.getMetadata().getGeneration(), clock.instant());
        pool.setStatus(reporter.problem(pool, previous, conditions, ownScope(pool), errors.reason(e), errors.describe(e)));
        return ErrorStatusUpdateControl.patchStatus(pool);
    }

    /**
     * Release policy: only addresses the operator allocated, and only those not associated with anything. Every address
     * still claimed by the pool is then un-claimed (associated ones stay where they are), so that another pool may take
     * it: a claim must not outlive its pool.
     */
    @Override
    public DeleteControl cleanup(ElasticIpPool pool, Context<ElasticIpPool> context) {
        String ns = pool.getMetadata().getNamespace();
        AwsScope scope;
        try {
            // where the addresses are: the recorded identity, not one the namespace resolves to since
            scope = scopeGuard.forDeletion(pool, recorded(pool), ownScope(pool).region(), () -> scope(pool));
        } catch (CloudFailure e) { // its namespace's identity not known (yet): nothing is released with another one
            events.warning(pool, e.reason(), "Delete", e.describe());
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(io.autoheal.tenant.TenantVerdict.WAIT_RETRY.multipliedBy(5).toMillis());
        }
        PoolClaim claim = claim(pool);
        List<ObservedAddress> addresses = observer.addresses(pool, scope, config.installationId());
        int released = 0;
        if (pool.getSpec().reclaimPolicy == ReclaimPolicy.Release && pool.getSpec().allocate != null) {
            for (ObservedAddress a : addresses) {
                if (!a.associated() && pool.ownerKey().equals(a.tags().get(Tags.POOL))
                        && claim.read(a.tags()) != AddressOwnership.Claim.OTHER_INSTALLATION) {
                    gateway.release(scope, a.allocationId());
                    released++;
                }
            }
            events.normal(pool, Reason.AddressesReleased, "ReleaseAddress", "Released " + released
                    + " unassociated Elastic IP(s) (reclaimPolicy Release); associated ones are kept");
        }
        // every claim of this pool goes, on the addresses it lists or selects and on those it no longer does
        if (!releaseStaleClaims(pool, scope, claim, List.of(), "(pool deleted)")) {
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(10).toMillis());
        }
        metrics.forget(ns, pool.getMetadata().getName());
        return DeleteControl.defaultDelete();
    }

    /** The pool's region with its namespace's identity (AwsScopes); CloudFailure TenantRoleNotAssumed when unusable. */
    private AwsScope scope(ElasticIpPool pool) {
        return scopes.of(pool.getMetadata().getNamespace(), pool.getSpec() == null ? null : pool.getSpec().region);
    }

    private static io.autoheal.api.v1alpha1.AwsIdentityStatus recorded(ElasticIpPool pool) {
        return pool.getStatus() == null ? null : pool.getStatus().awsIdentity;
    }

    /** For a status written without any AWS call (its region is all the status shows). */
    private AwsScope ownScope(ElasticIpPool pool) {
        return AwsScope.own(scopes.region(pool.getSpec() == null ? null : pool.getSpec().region));
    }
}
