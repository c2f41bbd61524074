package io.autoheal.health;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.cluster.healing.AppSignal;
import io.autoheal.cluster.healing.Verdict;
import io.autoheal.config.OperatorConfig;
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
 * the grace. Each pass tells the store which machines the cluster has and which names it lists, so only those are kept.
 */
@ApplicationScoped
@io.quarkus.arc.Unremovable // found only through ClusterObserver's @All List<HealthSignalSource>
public class AlertHealthSource implements HealthSignalSource {
    private final FiringAlerts alerts;

    @Inject
    public AlertHealthSource(OperatorConfig config) {
        this(config.alertmanager().firingTtl());
    }

    public AlertHealthSource(Duration ttl) {
        this.alerts = new FiringAlerts(ttl);
    }

    public FiringAlerts alerts() {
        return alerts;
    }

    @Override
    public Map<String, List<AppSignal>> failing(HealingCluster cluster, Collection<String> members, Instant now) {
        List<String> names = cluster.getSpec().health == null ? List.of() : cluster.getSpec().health.alerts;
        alerts.members(cluster.ownerKey(), members, names == null ? List.of() : names);
        Map<String, List<AppSignal>> out = new HashMap<>();
        for (String id : members) {
            List<AppSignal> signals = alerts.firing(id, now).stream()
                    .map(f -> new AppSignal(Verdict.Reason.AlertFiring, f.name(), f.summary().isEmpty() ? "alert " + f.name() + " firing" : f.summary(),
                            f.since()))
                    .toList();
            if (!signals.isEmpty()) {
                out.put(id, signals);
            }
        }
        return out;
    }
}
