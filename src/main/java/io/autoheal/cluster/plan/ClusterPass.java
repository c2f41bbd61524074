package io.autoheal.cluster.plan;

import io.autoheal.api.v1alpha1.RemediationRecord;
import io.autoheal.api.v1alpha1.RolloutStatus;
import io.autoheal.cluster.healing.Machine;
import io.autoheal.cluster.healing.HealthPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Everything one cluster pass decides on, as the observe step found it: the spec's rules, the group, its machines
 * (one {@link Machine} view each), the replacement journal and the clock. The planner reads nothing else.
 *
 * @param wantedVersion the launch template version the group launches from (null: unknown, nothing rolls)
 * @param groupDesired  the group's desired capacity now; null when there is no group yet
 * @param remediations  status.recentRemediations as the last status (or the journal) left them, unpruned
 * @param vanished      machines the last status listed as serving that are gone now (terminated, or out of the group)
 * @param rollout       spec.rollout as the planner reads it; null when unset (rolls as before spec.rollout existed)
 * @param lastRollout   status.rollout as the last pass left it, null if none
 * @param firingAlerts  alert names firing for this cluster now (the Alertmanager webhook's store), for abortOnAlerts
 */
public record ClusterPass(HealthPolicy policy, int min, int desired, int max, String wantedVersion, boolean paused, boolean gateLaunch,
                          Integer groupDesired, List<Machine> machines, List<RemediationRecord> remediations, Set<String> vanished,
                          Instant now, RolloutPolicy rollout, RolloutStatus lastRollout, Set<String> firingAlerts) {

    public static Builder builder(HealthPolicy policy, Instant now) {
        return new Builder(policy, now);
    }

    /** A rollout surges when there is room above desired; otherwise it replaces in place. */
    boolean canSurge() {
        return desired < max && (rollout == null || rollout.maxSurge() > 0);
    }

    public static final class Builder {
        private final HealthPolicy policy;
        private final Instant now;
        private int min;
        private int desired;
        private int max;
        private String wantedVersion;
        private boolean paused;
        private boolean gateLaunch;
        private Integer groupDesired;
        private List<Machine> machines = List.of();
        private List<RemediationRecord> remediations = List.of();
        private Set<String> vanished = Set.of();
        private RolloutPolicy rollout;
        private RolloutStatus lastRollout;
        private Set<String> firingAlerts = Set.of();

        private Builder(HealthPolicy policy, Instant now) {
            this.policy = policy;
            this.now = now;
        }

        public Builder capacity(int min, int desired, int max) {
            this.min = min;
            this.desired = desired;
            this.max = max;
            return this;
        }

        public Builder wantedVersion(String v) { wantedVersion = v; return this; }
        public Builder paused(boolean v) { paused = v; return this; }
        public Builder gateLaunch(boolean v) { gateLaunch = v; return this; }
        public Builder groupDesired(Integer v) { groupDesired = v; return this; }
        public Builder machines(List<Machine> v) { machines = List.copyOf(v); return this; }
        public Builder remediations(List<RemediationRecord> v) { remediations = List.copyOf(v); return this; }
        public Builder vanished(Set<String> v) { vanished = Set.copyOf(v); return this; }

        public Builder rollout(RolloutPolicy v) { rollout = v; return this; }
        public Builder lastRollout(RolloutStatus v) { lastRollout = v; return this; }
        public Builder firingAlerts(Set<String> v) { firingAlerts = Set.copyOf(v); return this; }

        public ClusterPass build() {
            return new ClusterPass(policy, min, desired, max, wantedVersion, paused, gateLaunch, groupDesired, machines, remediations,
                    vanished, now, rollout, lastRollout, firingAlerts);
        }
    }
}
