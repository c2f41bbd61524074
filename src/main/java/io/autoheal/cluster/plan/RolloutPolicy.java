package io.autoheal.cluster.plan;

import io.autoheal.api.v1alpha1.Durations;
import io.autoheal.api.v1alpha1.RolloutFailureAction;
import io.autoheal.api.v1alpha1.RolloutSpec;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * spec.rollout as the planner reads it: parsed, defaulted, checkpoints sorted.
 *
 * @param resume the autoheal.io/rollout-resume annotation ("&lt;targetVersion&gt;/&lt;percent&gt;"), null when absent
 * @param generation metadata.generation: a failure is remembered for the generation it happened in
 */
public record RolloutPolicy(int maxSurge, Duration bakeTime, List<Integer> pauseAtPercent, RolloutFailureAction onFailure,
                            Set<String> abortOnAlerts, String resume, long generation) {
    public static final String RESUME_ANNOTATION = "autoheal.io/rollout-resume";

    public RolloutPolicy {
        pauseAtPercent = pauseAtPercent.stream().filter(p -> p >= 1 && p <= 99).distinct().sorted().toList();
        abortOnAlerts = Set.copyOf(abortOnAlerts);
    }

    /** Null when spec.rollout is unset: the planner then rolls as it did before spec.rollout existed. */
    public static RolloutPolicy of(RolloutSpec spec, String resume, Long generation) {
        if (spec == null) {
            return null;
        }
        return new RolloutPolicy(spec.maxSurge, Durations.parseOr(spec.bakeTime, Durations.parse(RolloutSpec.DEFAULT_BAKE_TIME).orElseThrow()),
                spec.pauseAtPercent == null ? List.of() : spec.pauseAtPercent,
                spec.onFailure == null ? RolloutFailureAction.Rollback : spec.onFailure,
                spec.abortOnAlerts == null ? Set.of() : Set.copyOf(spec.abortOnAlerts), resume, generation == null ? 0 : generation);
    }

    /** The checkpoint the annotation resumed for {@code target}: 0 when none. */
    int resumedThrough(String target) {
        if (resume == null || target == null) {
            return 0;
        }
        int slash = resume.lastIndexOf('/');
        if (slash <= 0 || !resume.substring(0, slash).trim().equals(target)) {
            return 0;
        }
        try {
            return Integer.parseInt(resume.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
