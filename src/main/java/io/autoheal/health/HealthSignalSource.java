package io.autoheal.health;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.cluster.healing.AppSignal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A source of application health beyond what EC2 sees (probes, load-balancer target health, Prometheus alerts). The
 * observe step asks every source (CDI beans implementing this) once per cluster pass; it must answer from memory, at
 * once — a source does its I/O on its own schedule, never inside a pass.
 */
public interface HealthSignalSource {

    /**
     * @param members the group's current members (instance ids)
     * @return per instance id, the conclusive failures this source knows of now (absent or empty: nothing known)
     */
    Map<String, List<AppSignal>> failing(HealingCluster cluster, Collection<String> members, Instant now);

    /**
     * Alert names firing now for any of the members, among those spec.rollout.abortOnAlerts lists (a rollout fails
     * when one fires while it runs). Sources that know no alerts answer none.
     */
    default java.util.Set<String> firingRolloutAborts(HealingCluster cluster, Collection<String> members, Instant now) {
        return java.util.Set.of();
    }
}
