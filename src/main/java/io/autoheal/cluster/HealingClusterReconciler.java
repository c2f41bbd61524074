package io.autoheal.cluster;

import io.autoheal.fleet.AwsScope;
import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterStatus;
import io.autoheal.config.OperatorConfig;
import io.autoheal.discovery.DiscoveryPublisher;
import io.autoheal.fleet.CloudErrors;
import io.autoheal.fleet.CloudFailure;
import io.autoheal.retry.RegionBackoff;
import io.autoheal.tenant.AwsScopes;
import io.autoheal.tenant.TenantScopeGuard;
import io.autoheal.health.HealthWatch;
import io.quarkus.arc.All;
import io.autoheal.kube.Conditions;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import io.autoheal.kube.StatusChange;
import io.autoheal.metrics.ReconcileMetrics;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.quarkus.logging.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps a HealingCluster's Auto Scaling Group as declared and heals its machines:
 * observe (AWS, batched) → validate → decide (pure planners) → act (adapters) → report (status, Events, metrics).
 */
@ControllerConfiguration(name = HealingClusterReconciler.NAME)
public class HealingClusterReconciler implements Reconciler<HealingCluster>, Cleaner<HealingCluster>, ConfigurableReconciler<HealingCluster> {
    public static final String NAME = "healingcluster";

    /** JOSDK's retry of a failed pass, jittered (±20 %); its settings stay in application.properties. */
    @Override
    public void updateConfigurationFrom(ControllerConfigurationOverrider<HealingCluster> configuration) {
        configuration.withRetry(io.autoheal.retry.JitteredRetry.configured(NAME));
    }
    /** Back-off for problems only a human can fix (bad subnet, missing template): no hot retry loop. */
    static final Duration BAD_INPUT_RETRY = Duration.ofMinutes(2);

    private final OperatorConfig config;
    private final Clock clock;
    private final ClusterReferences references;
    private final ClusterActuator actuator;
    private final ClusterReporter reporter;
    private final ClusterDeleter deleter;
    private final EventRecorder events;
    private final ReconcileMetrics reconcileMetrics;
    private final ClusterWakeups wakeups;
    private final DiscoveryPublisher discovery;
    private final CloudErrors errors;
    private final RegionBackoff regionBackoff;
    private final List<HealthWatch> watches;
    private final io.autoheal.tenant.TenantGate tenants;
    private final AwsScopes scopes;
    private final TenantScopeGuard scopeGuard;

    public HealingClusterReconciler(OperatorConfig config, Clock clock, ClusterReferences references, ClusterActuator actuator,
                                    ClusterReporter reporter, ClusterDeleter deleter, EventRecorder events, ReconcileMetrics reconcileMetrics,
                                    ClusterWakeups wakeups, DiscoveryPublisher discovery, CloudErrors errors, RegionBackoff regionBackoff,
                                    AwsScopes scopes, @All List<HealthWatch> watches, io.autoheal.tenant.TenantGate tenants,
                                    TenantScopeGuard scopeGuard) {
        this.tenants = tenants;
        this.scopeGuard = scopeGuard;
        this.scopes = scopes;
        this.errors = errors;
        this.regionBackoff = regionBackoff;
        this.watches = List.copyOf(watches);
        this.wakeups = wakeups;
        this.discovery = discovery;
        this.reconcileMetrics = reconcileMetrics;
        this.config = config;
        this.clock = clock;
        this.references = references;
        this.actuator = actuator;
        this.reporter = reporter;
        this.deleter = deleter;
        this.events = events;
    }

    @Override
    public UpdateControl<HealingCluster> reconcile(HealingCluster hc, Context<HealingCluster> context) {
        long started = System.nanoTime();
        String outcome = "error";
        try {
            UpdateControl<HealingCluster> control = pass(hc, context.getSecondaryResource(ElasticIpPool.class));
            outcome = Conditions.isTrue(hc.getStatus().conditions, io.autoheal.kube.ConditionType.Degraded) ? "blocked" : "success";
            return control;
        } finally {
            reconcileMetrics.record(NAME, outcome, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /**
     * The pool a cluster names comes from an informer (no GET per pass), and a change of the pool (its addresses,
     * its Exhausted condition) wakes the clusters that use it.
     */
    @Override
    public List<EventSource<?, HealingCluster>> prepareEventSources(EventSourceContext<HealingCluster> context) {
        var pools = InformerEventSourceConfiguration.from(ElasticIpPool.class, HealingCluster.class)
                .withPrimaryToSecondaryMapper((HealingCluster hc) -> hc.getSpec() == null || hc.getSpec().elasticIps == null ? Set.of()
                        : Set.of(new ResourceID(hc.getSpec().elasticIps.poolRef, hc.getMetadata().getNamespace())))
                .withSecondaryToPrimaryMapper(pool -> context.getPrimaryCache()
                        .list(pool.getMetadata().getNamespace(), hc -> hc.getSpec() != null && hc.getSpec().elasticIps != null
                                && pool.getMetadata().getName().equals(hc.getSpec().elasticIps.poolRef))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build();
        List<EventSource<?, HealingCluster>> sources = new ArrayList<>(List.of(new InformerEventSource<>(pools, context), wakeups.source()));
        sources.addAll(discovery.eventSources(context)); // what discovery published, and the templates it renders: no read per pass
        return sources;
    }

    private UpdateControl<HealingCluster> pass(HealingCluster hc, Optional<ElasticIpPool> pool) {
        Instant now = clock.instant();
        HealingClusterStatus previous = hc.getStatus() == null ? new HealingClusterStatus() : hc.getStatus();
        Conditions conditions = new Conditions(previous.conditions, hc.getMetadata().getGeneration(), now);
        Optional<String> invalid = HealingClusterValidator.validate(hc.getSpec());
        if (invalid.isPresent()) {
            return blocked(hc, previous, conditions, ownScope(hc), Reason.InvalidSpec, invalid.get(), config.resyncInterval());
        }
        // Before any AWS read or write: the namespace's TenantPolicy as it is now (admission saw an older one, or none).
        io.autoheal.tenant.TenantVerdict tenant = tenants.cluster(hc);
        if (tenant.waiting()) {
            return waitForTenantPolicies(hc, previous, conditions, tenant, now);
        }
        if (!tenant.allowed()) {
            return blocked(hc, previous, conditions, ownScope(hc), Reason.NotAllowedByTenantPolicy, tenant.message(), config.resyncInterval());
        }
        AwsScope scope;
        try {
            scope = scope(hc);
        } catch (CloudFailure e) {
            return blocked(hc, previous, conditions, ownScope(hc), e.reason(), e.describe(), config.resyncInterval());
        }
        // Before any AWS call: the identity the cluster's resources were made with (recorded first, when it is not yet).
        Optional<String> moved = scopeGuard.admit(hc, "HealingCluster", scope, HealingClusterReconciler::recorded, id -> {
            previous.awsIdentity = id;
            hc.setStatus(previous); // any status this pass writes, an error status too, carries it
        });
        if (moved.isPresent()) {
            return blocked(hc, previous, conditions, scope, Reason.TenantScopeChanged, moved.get(), config.resyncInterval());
        }
        Optional<Instant> regionWait = regionBackoff.nextAttempt(scope);
        if (regionWait.isPresent()) {
            return waitForRegion(hc, previous, conditions, scope, regionWait.get(), now);
        }
        ClusterReferences.Resolved refs = references.resolve(hc, pool);
        warnInsecureCredentials(hc, previous);
        try {
            ClusterActuator.Outcome outcome = actuator.converge(hc, previous, scope, refs, now);
            regionBackoff.succeeded(scope); // the scope answered: its clusters stop waiting
            watches.forEach(w -> w.conditions(hc, conditions));
            HealingClusterStatus status = reporter.report(hc, previous, outcome, refs, config.installationId(), conditions, scope, now);
            // what the pass saw and judged is what the prober probes next (no AWS call of its own)
            watches.forEach(w -> w.seen(hc, outcome.observation(), status.instances, now));
            reporter.announce(hc, previous, status, outcome);
            // a reference problem degrades only what needs it; it is said on every pass while it lasts (an Event series)
            refs.problems().forEach(p -> events.warning(hc, p.reason(), "Validate", p.message()));
            discovery.publish(hc, previous, status, launchTemplateVersions(outcome), now);
            return write(hc, previous, status).rescheduleAfter(io.autoheal.retry.Jitter.SHARED.resync(
                    outcome.nextCheckIn(now, config.resyncInterval()), config.resyncInterval()));
        } catch (ClusterActuator.NotBuiltException e) {
            return blocked(hc, previous, conditions, scope, e.reason(), e.getMessage(), config.resyncInterval());
        } catch (ClusterActuator.BadInputException e) {
            return blocked(hc, previous, conditions, scope, e.reason(), e.getMessage(), BAD_INPUT_RETRY);
        } catch (RuntimeException e) {
            Optional<CloudFailure> tenantRole = CloudFailure.in(e).filter(f -> f.reason() == Reason.TenantRoleNotAssumed);
            if (tenantRole.isPresent()) { // the namespace's role: its administrator must act; nobody else waits
                return blocked(hc, previous, conditions, scope, Reason.TenantRoleNotAssumed, tenantRole.get().describe(), config.resyncInterval());
            }
            // Only the region's own trouble (throttled, 5xx, no answer) backs the region off: a 4xx is this cluster's
            // input, and must not make the region's other clusters wait.
            Optional<CloudFailure> transientFailure = CloudFailure.in(e)
                    .filter(f -> f.kind() != CloudFailure.Kind.REFUSED && f.retryable());
            if (transientFailure.isEmpty()) {
                throw e; // not the scope's: JOSDK's (jittered) retry and updateErrorStatus
            }
            return regionFailed(hc, previous, conditions, scope, transientFailure.get(), now);
        }
    }

    /**
     * The region's AWS calls fail: this cluster makes none and waits with the region's others. Its status says so once
     * (a cluster that already shows the region's failure is not written again).
     */
    private UpdateControl<HealingCluster> waitForRegion(HealingCluster hc, HealingClusterStatus previous, Conditions conditions, AwsScope scope,
                                                        Instant until, Instant now) {
        Duration wait = Requeue.until(until, now);
        boolean shown = Conditions.find(previous.conditions, io.autoheal.kube.ConditionType.Degraded)
                .filter(c -> "True".equals(c.getStatus()) && Reason.AwsError.name().equals(c.getReason())).isPresent();
        if (shown) {
            return UpdateControl.<HealingCluster>noUpdate().rescheduleAfter(wait);
        }
        String message = "AWS calls in region " + scope + " are failing (" + regionBackoff.lastFailure(scope).orElse("transient errors")
                + "); the region's clusters retry together, with back-off";
        conditions.carry(io.autoheal.kube.ConditionType.DiscoveryPublished);
        return write(hc, previous, reporter.problem(hc, previous, conditions, scope, Reason.AwsError, message)).rescheduleAfter(wait);
    }

    /**
     * The TenantPolicies are not read (yet): who may do what, with which identity, is unknown, so nothing is decided and
     * no AWS call made; looked at again soon. Said (condition + Event, once) only when the wait lasts: not at every start.
     */
    private UpdateControl<HealingCluster> waitForTenantPolicies(HealingCluster hc, HealingClusterStatus previous, Conditions conditions,
                                                                io.autoheal.tenant.TenantVerdict wait, Instant now) {
        boolean shown = Conditions.find(previous.conditions, io.autoheal.kube.ConditionType.Degraded)
                .filter(c -> "True".equals(c.getStatus()) && Reason.TenantPoliciesNotRead.name().equals(c.getReason())).isPresent();
        if (shown || !wait.worthSaying(now)) {
            return write(hc, previous, previous).rescheduleAfter(io.autoheal.retry.Jitter.SHARED.spread(io.autoheal.tenant.TenantVerdict.WAIT_RETRY));
        }
        return blocked(hc, previous, conditions, ownScope(hc), Reason.TenantPoliciesNotRead, wait.message(),
                io.autoheal.tenant.TenantVerdict.WAIT_RETRY);
    }

    /**
     * A transient cloud failure (throttled, 5xx, no answer): the region backs off, and this cluster's next pass is the
     * region's next attempt, as for every other cluster of the region, instead of a back-off of its own.
     */
    private UpdateControl<HealingCluster> regionFailed(HealingCluster hc, HealingClusterStatus previous, Conditions conditions, AwsScope scope,
                                                       CloudFailure failure, Instant now) {
        String message = errors.describe(failure);
        regionBackoff.failed(scope, message);
        Log.warnf("reconcile of %s failed: %s (region %s backs off)", hc.ownerKey(), message, scope);
        conditions.carry(io.autoheal.kube.ConditionType.DiscoveryPublished);
        Instant next = regionBackoff.nextAttempt(scope).orElse(now);
        return write(hc, previous, reporter.problem(hc, previous, conditions, scope, errors.reason(failure), message))
                .rescheduleAfter(Requeue.until(next, now));
    }

    private UpdateControl<HealingCluster> blocked(HealingCluster hc, HealingClusterStatus previous, Conditions conditions, AwsScope scope,
                                                  Reason reason, String message, Duration retry) {
        events.warning(hc, reason, "Validate", message);
        conditions.carry(io.autoheal.kube.ConditionType.DiscoveryPublished); // nothing published on a blocked pass: the last word stays
        carryHealthWatch(conditions);
        return write(hc, previous, reporter.problem(hc, previous, conditions, scope, reason, message))
                .rescheduleAfter(io.autoheal.retry.Jitter.SHARED.spread(retry)); // many clusters blocked by one cause: not in step
    }

    /** A pass that could not observe keeps the probes' last word. */
    private static void carryHealthWatch(Conditions conditions) {
        conditions.carry(io.autoheal.kube.ConditionType.ProbesInconclusive).carry(io.autoheal.kube.ConditionType.ProbesRefused)
                .carry(io.autoheal.kube.ConditionType.TargetHealthUnknown);
    }

    /** Credentials in clear text on purpose (allowInsecure): said once per spec generation, not on every pass. */
    private void warnInsecureCredentials(HealingCluster hc, HealingClusterStatus previous) {
        List<String> insecure = io.autoheal.bootstrap.BootstrapUrlGuard.insecureOnPurpose(hc.getSpec());
        if (!insecure.isEmpty() && !java.util.Objects.equals(previous.observedGeneration, hc.getMetadata().getGeneration())) {
            events.warning(hc, Reason.InsecureCredentials, "Validate", String.join(", ", insecure) + ": allowInsecure is true, so"
                    + " the bootstrapper credentials travel over plain http (readable on the network); use https:// URLs");
        }
    }

    /** Patches the status only when it changed: a cluster at rest costs the API server no write per resync. */
    private static UpdateControl<HealingCluster> write(HealingCluster hc, HealingClusterStatus previous, HealingClusterStatus status) {
        boolean changed = StatusChange.changed(previous, status);
        hc.setStatus(status);
        return changed ? UpdateControl.patchStatus(hc) : UpdateControl.noUpdate();
    }

    @Override
    public ErrorStatusUpdateControl<HealingCluster> updateErrorStatus(HealingCluster hc, Context<HealingCluster> context, Exception e) {
        // Transient cloud failures of the pass wait on their region's back-off (regionFailed); whatever else escaped is
        // retried by JOSDK with its back-off, and the user sees why.
        String message = errors.describe(e);
        Log.warnf("reconcile of %s failed: %s", hc.ownerKey(), message);
        HealingClusterStatus previous = hc.getStatus() == null ? new HealingClusterStatus() : hc.getStatus();
        Conditions conditions = new Conditions(previous.conditions, hc.getMetadata().getGeneration(), clock.instant());
        // Whatever escaped the pass's own handling (e.g. an IAM refusal outside it) still names its cause.
        conditions.carry(io.autoheal.kube.ConditionType.DiscoveryPublished);
        carryHealthWatch(conditions);
        hc.setStatus(reporter.problem(hc, previous, conditions, ownScope(hc), errors.reason(e), message));
        return ErrorStatusUpdateControl.patchStatus(hc);
    }

    /** Launch template version per machine, as its group reports it (for the discovery member list). */
    private static java.util.Map<String, String> launchTemplateVersions(ClusterActuator.Outcome outcome) {
        java.util.Map<String, String> versions = new java.util.HashMap<>();
        outcome.observation().asg().ifPresent(asg -> asg.members().stream().filter(m -> m.launchTemplateVersion() != null)
                .forEach(m -> versions.put(m.instanceId(), m.launchTemplateVersion())));
        return versions;
    }

    @Override
    public DeleteControl cleanup(HealingCluster hc, Context<HealingCluster> context) {
        AwsScope scope;
        try {
            // where the resources are: the recorded identity, not one the namespace resolves to since
            scope = scopeGuard.forDeletion(hc, recorded(hc), ownScope(hc).region(), () -> scope(hc));
        } catch (CloudFailure e) { // its namespace's identity not known (yet): nothing is deleted with another one
            events.warning(hc, e.reason(), "Delete", e.describe());
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(io.autoheal.tenant.TenantVerdict.WAIT_RETRY.multipliedBy(5).toMillis());
        }
        discovery.forget(hc);
        watches.forEach(w -> w.forget(hc));
        return deleter.delete(hc, scope);
    }

    private static io.autoheal.api.v1alpha1.AwsIdentityStatus recorded(HealingCluster hc) {
        return hc.getStatus() == null ? null : hc.getStatus().awsIdentity;
    }

    /** The cluster's region with its namespace's identity (AwsScopes); CloudFailure TenantRoleNotAssumed when unusable. */
    private AwsScope scope(HealingCluster hc) {
        return scopes.of(hc.getMetadata().getNamespace(), hc.getSpec() == null ? null : hc.getSpec().region);
    }

    /** For a status written without any AWS call (its region is all the status shows). */
    private AwsScope ownScope(HealingCluster hc) {
        return AwsScope.own(scopes.region(hc.getSpec() == null ? null : hc.getSpec().region));
    }
}
