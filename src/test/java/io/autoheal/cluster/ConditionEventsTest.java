package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.HealingClusterStatus;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Condition transitions → Events: one row per rule, and the rows that must stay quiet. */
class ConditionEventsTest {

    /** "Type=Status/Reason:message" entries; "-" for no condition at all. */
    static HealingClusterStatus status(String... conditions) {
        HealingClusterStatus s = new HealingClusterStatus();
        s.asgName = "autoheal-fast-a";
        List<Condition> list = new ArrayList<>();
        for (String c : conditions) {
            if (c.equals("-")) {
                continue;
            }
            String[] typeRest = c.split("=", 2);
            String[] statusRest = typeRest[1].split("/", 2);
            String[] reasonMessage = statusRest[1].split(":", 2);
            list.add(new ConditionBuilder().withType(typeRest[0]).withStatus(statusRest[0]).withReason(reasonMessage[0])
                    .withMessage(reasonMessage.length > 1 ? reasonMessage[1] : "").build());
        }
        s.conditions = list;
        return s;
    }

    static Arguments row(String rule, HealingClusterStatus before, HealingClusterStatus after, String... events) {
        return Arguments.of(rule, before, after, List.of(events));
    }

    static Stream<Arguments> transitions() {
        return Stream.of(
                row("pool exhausted: Degraded turns to EipPoolExhausted", status("Degraded=False/Reconciled"),
                        status("Degraded=True/EipPoolExhausted:2 machine(s) wait"), "EipPoolExhausted AssociateAddress 2 machine(s) wait"),
                row("pool exhausted: said once, not every pass", status("Degraded=True/EipPoolExhausted:2 machine(s) wait"),
                        status("Degraded=True/EipPoolExhausted:3 machine(s) wait")),
                row("pool exhausted after another Degraded reason", status("Degraded=True/PoolNotFound:x"),
                        status("Degraded=True/EipPoolExhausted:1 machine(s) wait"), "EipPoolExhausted AssociateAddress 1 machine(s) wait"),
                row("another Degraded reason is no EipPoolExhausted", status("Degraded=False/Reconciled"), status("Degraded=True/AsgNotOwned:x")),
                row("remediation blocked", status("RemediationBlocked=False/WithinBudget"),
                        status("RemediationBlocked=True/BudgetExceeded:3 of 4"), "RemediationBlocked Heal 3 of 4"),
                row("remediation blocked on the first pass (no previous condition)", status("-"),
                        status("RemediationBlocked=True/RateLimited:10 replacements"), "RemediationBlocked Heal 10 replacements"),
                row("remediation still blocked: quiet", status("RemediationBlocked=True/BudgetExceeded:3 of 4"),
                        status("RemediationBlocked=True/RateLimited:10 replacements")),
                row("rollout stopped", status("RolloutStopped=False/RolloutProceeding"),
                        status("RolloutStopped=True/RolloutStopped:version 2 failed"), "RolloutStopped Rollout version 2 failed"),
                row("rollout resumes: quiet", status("RolloutStopped=True/RolloutStopped:version 2 failed"),
                        status("RolloutStopped=False/RolloutProceeding")),
                row("launches fail", status("LaunchFailing=False/LaunchesSucceeding"),
                        status("LaunchFailing=True/InvalidAmi:no such image"),
                        "LaunchFailing LaunchInstances AWS cannot launch machines of Auto Scaling Group autoheal-fast-a (InvalidAmi): no such image"),
                row("launches fail for the same cause: quiet", status("LaunchFailing=True/InvalidAmi:no such image"),
                        status("LaunchFailing=True/InvalidAmi:no such image")),
                row("launches fail for another cause", status("LaunchFailing=True/InvalidAmi:no such image"),
                        status("LaunchFailing=True/InsufficientInstanceCapacity:none left"),
                        "LaunchFailing LaunchInstances AWS cannot launch machines of Auto Scaling Group autoheal-fast-a "
                                + "(InsufficientInstanceCapacity): none left"),
                row("two transitions in one pass: two Events", status("-"),
                        status("RemediationBlocked=True/BudgetExceeded:3 of 4", "RolloutStopped=True/RolloutStopped:v2"),
                        "RemediationBlocked Heal 3 of 4", "RolloutStopped Rollout v2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transitions")
    void transitions(String rule, HealingClusterStatus before, HealingClusterStatus after, List<String> expected) {
        assertThat(ConditionEvents.between(before, after).stream().map(w -> w.reason() + " " + w.action() + " " + w.message()).toList())
                .as(rule).containsExactlyElementsOf(expected);
    }

    @org.junit.jupiter.api.Test
    void everyEventRuleNamesAConditionTheOperatorWrites() {
        assertThat(List.of(ConditionType.Degraded, ConditionType.RemediationBlocked, ConditionType.RolloutStopped, ConditionType.LaunchFailing))
                .allSatisfy(t -> assertThat(Reason.valueOf(t == ConditionType.Degraded ? "EipPoolExhausted" : t.name())).isNotNull());
    }
}
