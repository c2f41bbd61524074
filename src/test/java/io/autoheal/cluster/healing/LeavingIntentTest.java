package io.autoheal.cluster.healing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LeavingIntentTest {
    static final Map<String, String> VERSIONS = Map.of("i-a", "1", "i-b", "2", "i-c", "1");

    /** leave: ids; advised: id:reason; recorded: ids already in status.recentRemediations; expected: id:reason in order. */
    @ParameterizedTest(name = "[{0}] leave [{1}] advised [{2}] want {3} recorded [{4}] -> [{5}]")
    @CsvSource(delimiter = '|', value = {
            "rollout: the old version is Outdated        | i-a     |                      | 2       |      | i-a:Outdated",
            "scale-in of a current machine: no record    | i-b     |                      | 2       |      | ",
            "alias version: never Outdated               | i-a     |                      | $Latest |      | ",
            "no wanted version: never Outdated           | i-a     |                      |         |      | ",
            "already recorded: not twice                 | i-a     |                      | 2       | i-a  | ",
            "unknown member version: no record           | i-x     |                      | 2       |      | ",
            "surge replacement: its advice's reason      | i-a     | i-a:RebalanceRecommended | 2    |      | i-a:RebalanceRecommended",
            "advised but not leaving yet: no record      | i-b     | i-a:RebalanceRecommended | 2    |      | ",
            "Outdated first, then the advised ones       | i-c,i-a | i-a:ScheduledChange  | 2       |      | i-c:Outdated,i-a:ScheduledChange",
            "advised already recorded: not twice         | i-a     | i-a:ScheduledChange  | 2       | i-a  | ",
    })
    void recordsBeforeTermination(String name, String leave, String advised, String want, String recorded, String expected) {
        List<HealingPlan.Remediation> bySurge = split(advised).stream()
                .map(s -> new HealingPlan.Remediation(s.split(":")[0], Verdict.Reason.valueOf(s.split(":")[1]))).toList();
        var decision = new CapacityDecider.Decision(3, split(leave), !bySurge.isEmpty(), bySurge);
        List<String> got = LeavingIntent.records(decision, VERSIONS, want, Set.copyOf(split(recorded))).stream()
                .map(r -> r.instanceId() + ":" + r.reason()).toList();
        assertThat(got).isEqualTo(split(expected));
    }

    @Test
    void quotaCountsTheSlidingHourOnly() {
        Instant now = Instant.parse("2026-11-30T03:00:00Z");
        List<Instant> recent = List.of(now.minus(Duration.ofMinutes(61)), now.minus(Duration.ofMinutes(59)), now.minusSeconds(1));
        assertThat(LeavingIntent.quotaRoom(recent, 3, now)).isTrue();   // two within the hour
        assertThat(LeavingIntent.quotaRoom(recent, 2, now)).isFalse();
        assertThat(LeavingIntent.quotaRoom(List.of(), 0, now)).isFalse(); // 0 per hour: no room ever
    }

    static List<String> split(String csv) {
        return csv == null ? List.of() : Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toList());
    }
}
