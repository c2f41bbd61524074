package io.autoheal.health;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.cluster.healing.AppSignal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
     * Members with failure evidence that is not conclusive yet (a probe failed, fewer than failureThreshold times in a
     * row). They are not replaced for it, but they count in maxUnhealthy before a machine is replaced on this kind of
     * evidence: probes spread over the period make a whole-cluster outage conclusive one machine at a time, and the first
     * must not be replaced before the others are seen failing too.
     */
    default Set<String> suspect(HealingCluster cluster, Collection<String> members, Instant now) {
        return Set.of();
    }

    /**
     * Alert names firing now for any of the members, among those spec.rollout.abortOnAlerts lists (a rollout fails
     * when one fires while it runs). Sources that know no alerts answer none.
     */
    default Set<String> firingRolloutAborts(HealingCluster cluster, Collection<String> members, Instant now) {
        return Set.of();
    }
}
