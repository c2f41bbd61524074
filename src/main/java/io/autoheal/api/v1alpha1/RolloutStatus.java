package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** status.rollout: where a rollout stands (decided by cluster.plan.RolloutTracker). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutStatus {
    @JsonPropertyDescription("The last launch template version fully rolled out: where a rollback returns.")
    public String stableVersion;

    @JsonPropertyDescription("The launch template version the spec asks for.")
    public String targetVersion;

    @JsonPropertyDescription("Machines healthy on the target version.")
    public Integer updated;

    @JsonPropertyDescription("Machines in the cluster (not leaving).")
    public Integer total;

    @JsonPropertyDescription("Rolling, Baking, Paused, RollingBack, Complete or Failed.")
    public RolloutPhase phase;

    @JsonPropertyDescription("When the rollout to the target version started (RFC 3339).")
    public String startedAt;

    @JsonPropertyDescription("When the phase last changed (RFC 3339).")
    public String lastTransitionTime;

    @JsonPropertyDescription("When the newest target-version machine was first seen healthy: its bake ends bakeTime later (RFC 3339).")
    public String bakeStartedAt;

    @JsonPropertyDescription("The checkpoint (percent) the rollout waits at, while Paused there.")
    public Integer pausedAtPercent;

    @JsonPropertyDescription("A version that failed: not rolled to again until the spec changes (metadata.generation moves on).")
    public String failedVersion;

    @JsonPropertyDescription("The metadata.generation at which failedVersion failed.")
    public Long failedGeneration;

    @JsonPropertyDescription("Why the rollout failed or paused: the version, the failing machine and its reason, or the alert.")
    public String message;

    public RolloutStatus copy() {
        RolloutStatus c = new RolloutStatus();
        c.stableVersion = stableVersion;
        c.targetVersion = targetVersion;
        c.updated = updated;
        c.total = total;
        c.phase = phase;
        c.startedAt = startedAt;
        c.lastTransitionTime = lastTransitionTime;
        c.bakeStartedAt = bakeStartedAt;
        c.pausedAtPercent = pausedAtPercent;
        c.failedVersion = failedVersion;
        c.failedGeneration = failedGeneration;
        c.message = message;
        return c;
    }
}
