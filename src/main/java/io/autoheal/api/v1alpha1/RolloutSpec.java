package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/**
 * spec.rollout: a rollout judged by its new machines (docs/behaviour.md "Rollouts you can trust"). Unset, a template
 * change rolls as before (one machine at a time, surging when capacity.desired &lt; capacity.max, RolloutStopped
 * when the new version fails).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutSpec {
    /** Two minutes: long enough for probes, target health and alert rules (typically "for: 1m") to say no. */
    public static final String DEFAULT_BAKE_TIME = "2m";

    @Min(0)
    @Max(1)
    @Default("1")
    @JsonPropertyDescription("Machines above capacity.desired while rolling, within capacity.max: 1 (default) launches the new machine "
            + "before an old one leaves; 0 replaces in place. Without room below capacity.max a rollout replaces in place whatever "
            + "this says (the behaviour before spec.rollout existed, also with spec.drain).")
    public int maxSurge = 1;

    @Pattern(Durations.PATTERN)
    @Default(DEFAULT_BAKE_TIME)
    @JsonPropertyDescription("Each new machine must stay healthy (EC2, bootstrap, probes, target health, alerts) this long after it "
            + "became healthy before the next old machine leaves; a failure before then fails the rollout. Go duration, e.g. 90s, 2m. "
            + "Default 2m; 0s judges only that the machine became healthy.")
    public String bakeTime = DEFAULT_BAKE_TIME;

    @Size(max = 10)
    @ValidationRule(value = "self.all(p, p >= 1 && p <= 99)", message = "spec.rollout.pauseAtPercent: each checkpoint is 1..99")
    @JsonPropertyDescription("Checkpoints, in percent of machines on the new version (1..99): the rollout waits there (phase Paused, "
            + "Progressing=False RolloutPaused) until resumed with the annotation autoheal.io/rollout-resume: \"<targetVersion>/<percent>\" "
            + "(e.g. \"7/50\"); naming the version keeps an old resume from passing a new rollout's checkpoint.")
    public List<Integer> pauseAtPercent = new ArrayList<>();

    @Default("Rollback")
    @JsonPropertyDescription("When a new-version machine fails before its bake ends, or an abortOnAlerts alert fires while rolling: "
            + "Rollback (default) returns to status.rollout.stableVersion; Pause stops where it is. Either way the failed version is "
            + "not rolled to again until the spec changes.")
    public RolloutFailureAction onFailure = RolloutFailureAction.Rollback;

    @Size(max = 16)
    @JsonPropertyDescription("Alert names (as received through the operator's Alertmanager webhook, labelled with this cluster) that "
            + "fail the rollout when one fires while it runs.")
    public List<@Pattern("^[A-Za-z_:][A-Za-z0-9_:]{0,127}$") String> abortOnAlerts = new ArrayList<>();
}
