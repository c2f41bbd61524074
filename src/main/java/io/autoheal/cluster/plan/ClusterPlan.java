package io.autoheal.cluster.plan;

import io.autoheal.api.v1alpha1.RemediationRecord;
import io.autoheal.cluster.healing.HealingPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one pass decided: the verdicts (for status), the journal after this pass, and the commands in the order the
 * executor runs them — replacements (each on its own: one failed terminate does not stop the next), then the
 * resize (a failure ends the resize), then notices.
 *
 * @param rolloutStopped why the rollout to the wanted version stopped (its new machines fail), empty when it did not
 * @param rollout        where the rollout stands (spec.rollout set), empty when spec.rollout is unset
 */
public record ClusterPlan(HealingPlan healing, List<RemediationRecord> recentRemediations, List<ClusterCommand> replacements,
                         List<ClusterCommand> resize, List<ClusterCommand> notices, Optional<String> rolloutStopped,
                         Optional<RolloutTracker.Progress> rollout) {

    public ClusterPlan(HealingPlan healing, List<RemediationRecord> recentRemediations, List<ClusterCommand> replacements,
                       List<ClusterCommand> resize, List<ClusterCommand> notices, Optional<String> rolloutStopped) {
        this(healing, recentRemediations, replacements, resize, notices, rolloutStopped, Optional.empty());
    }

    public List<ClusterCommand> commands() {
        List<ClusterCommand> all = new ArrayList<>(replacements);
        all.addAll(resize);
        all.addAll(notices);
        return all;
    }

    /** Commands of one type, in order (for tests and the executor's accounting). */
    public <C extends ClusterCommand> List<C> commands(Class<C> type) {
        return commands().stream().filter(type::isInstance).map(type::cast).toList();
    }
}
