package io.autoheal.health;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.cluster.healing.AppSignal;
import io.autoheal.cluster.healing.Verdict;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.config.OperatorConfig;
import io.autoheal.fleet.ClusterObservation;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.kube.Reason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * spec.health.alerts: a machine with a listed Prometheus alert firing (labelled instance_id=<the machine>, received
 * at POST /alertmanager) is Unhealthy (AlertFiring) while it fires. No grace of its own: the rule's {@code for:} is
 * the grace. Only machines in service are judged, and an alert Alertmanager sent before the machine came into service
 * counts only once it is re-sent after that moment (the route's repeat_interval, 5m in docs/monitoring.md). Each pass tells the store which machines the cluster has and which names it lists, so only those are kept.
 */
@ApplicationScoped
@io.quarkus.arc.Unremovable // found only through ClusterObserver's @All List<HealthSignalSource>
public class AlertHealthSource implements HealthSignalSource, HealthWatch {
    private final FiringAlerts alerts;
    private final boolean webhookOn;
    private final InServiceTimes inService = new InServiceTimes();

    @Inject
    public AlertHealthSource(OperatorConfig config) {
        this(config.alertmanager().firingTtl(), config.alertmanager().token().filter(t -> !t.isBlank()).isPresent());
    }

    public AlertHealthSource(Duration ttl, boolean webhookOn) {
        this.alerts = new FiringAlerts(ttl);
        this.webhookOn = webhookOn;
    }

    public FiringAlerts alerts() {
        return alerts;
    }

    @Override
    public void seen(HealingCluster cluster, ClusterObservation observed, List<InstanceStatus> rows, Instant now) {
        // the store learns the cluster's members in failing(), from the same pass; here, when each came into service
        inService.seen(cluster.ownerKey(), rows, cluster.getSpec().elasticIps != null && cluster.getSpec().elasticIps.required, now);
    }

    @Override
    public void forget(HealingCluster cluster) {
        alerts.forgetCluster(cluster.ownerKey());
        inService.forget(cluster.ownerKey());
    }

    /** A cluster that lists alerts while the webhook is off is told so: otherwise spec.health.alerts would be a silent no-op. */
    @Override
    public void conditions(HealingCluster cluster, Conditions conditions) {
        List<String> names = cluster.getSpec().health == null || cluster.getSpec().health.alerts == null ? List.of() : cluster.getSpec().health.alerts;
        if (names.isEmpty()) {
            return;
        }
        if (webhookOn) {
            conditions.set(ConditionType.AlertsIgnored, false, Reason.AlertmanagerWebhookOn, "");
        } else {
            conditions.set(ConditionType.AlertsIgnored, true, Reason.AlertmanagerWebhookOff, "spec.health.alerts lists " + String.join(", ", names)
                    + " but the operator's Alertmanager webhook is off (no autoheal.alertmanager.token; Helm alertmanagerWebhook.token):"
                    + " no alert can reach it, so none of them can mark a machine unhealthy (docs/monitoring.md)");
        }
    }

    @Override
    public Map<String, List<AppSignal>> failing(HealingCluster cluster, Collection<String> members, Instant now) {
        List<String> names = healthAlerts(cluster);
        // the store keeps the rollout's abort alerts too; only spec.health.alerts make a machine unhealthy
        java.util.Set<String> kept = new java.util.LinkedHashSet<>(names);
        kept.addAll(abortAlerts(cluster));
        alerts.members(cluster.ownerKey(), members, List.copyOf(kept));
        Map<String, List<AppSignal>> out = new HashMap<>();
        Map<String, Instant> serving = inService.of(cluster.ownerKey());
        for (String id : members) {
            Instant servingSince = serving.get(id);
            if (servingSince == null) {
                continue; // still bootstrapping (or not seen in service since a restart): startup and bootstrap rule
            }
            // An alert from before the machine came into service (e.g. its process not up yet while it bootstraps)
            // counts only once Alertmanager re-sends it after that moment; its since is then that moment.
            List<AppSignal> signals = alerts.firing(id, now).stream()
                    .filter(f -> names.contains(f.name()))
                    .filter(f -> !f.received().isBefore(servingSince))
                    .map(f -> new AppSignal(Verdict.Reason.AlertFiring, f.name(), f.summary().isEmpty() ? "alert " + f.name() + " firing" : f.summary(),
                            f.since().isBefore(servingSince) ? servingSince : f.since()))
                    .toList();
            if (!signals.isEmpty()) {
                out.put(id, signals);
            }
        }
        return out;
    }

    @Override
    public java.util.Set<String> firingRolloutAborts(HealingCluster cluster, Collection<String> members, Instant now) {
        List<String> abort = abortAlerts(cluster);
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (String id : members) {
            alerts.firing(id, now).stream().map(FiringAlerts.Firing::name).filter(abort::contains).forEach(out::add);
        }
        return out;
    }

    private static List<String> healthAlerts(HealingCluster cluster) {
        List<String> names = cluster.getSpec().health == null ? null : cluster.getSpec().health.alerts;
        return names == null ? List.of() : names;
    }

    private static List<String> abortAlerts(HealingCluster cluster) {
        var rollout = cluster.getSpec().rollout;
        return rollout == null || rollout.abortOnAlerts == null ? List.of() : rollout.abortOnAlerts;
    }
}
