package io.autoheal.cluster.healing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RolloutDeciderTest {
    static final Instant NOW = Instant.parse("2026-11-25T03:00:00Z");

    static Verdict v(String id, Verdict.State state) {
        return new Verdict(id, state, null, null);
    }

    static HealingPlan plan(Verdict... verdicts) {
        return new HealingPlan(List.of(verdicts), List.of(), List.of(), Optional.empty(), NOW.plusSeconds(30));
    }

    static final List<Machine> MEMBERS = List.of(
            Machine.builder("i-new").version("2").launchTime(NOW.minusSeconds(60)).build(),
            Machine.builder("i-old2").version("1").launchTime(NOW.minus(Duration.ofHours(2))).build(),
            Machine.builder("i-old1").version("1").launchTime(NOW.minus(Duration.ofHours(3))).build());

    @Test
    void replacesTheOldestOutdatedMachineWhenEverythingIsHealthy() {
        HealingPlan healthy = plan(v("i-new", Verdict.State.HEALTHY), v("i-old1", Verdict.State.HEALTHY), v("i-old2", Verdict.State.HEALTHY));
        assertThat(RolloutDecider.next(MEMBERS, "2", healthy, 10, List.of(), NOW)).hasValue("i-old1");
    }

    @Test
    void waitsWhileAMachineIsStartingOrUnhealthy() {
        assertThat(RolloutDecider.next(MEMBERS, "2", plan(v("i-new", Verdict.State.STARTING), v("i-old1", Verdict.State.HEALTHY),
                v("i-old2", Verdict.State.HEALTHY)), 10, List.of(), NOW)).isEmpty();
        assertThat(RolloutDecider.next(MEMBERS, "2", plan(v("i-new", Verdict.State.UNHEALTHY), v("i-old1", Verdict.State.HEALTHY),
                v("i-old2", Verdict.State.HEALTHY)), 10, List.of(), NOW)).isEmpty();
    }

    @Test
    void respectsTheHourlyQuotaAndRollsNothingForSymbolicVersions() {
        HealingPlan healthy = plan(v("i-new", Verdict.State.HEALTHY), v("i-old1", Verdict.State.HEALTHY), v("i-old2", Verdict.State.HEALTHY));
        assertThat(RolloutDecider.next(MEMBERS, "2", healthy, 1, List.of(NOW.minusSeconds(600)), NOW)).isEmpty();
        assertThat(RolloutDecider.next(MEMBERS, "$Latest", healthy, 10, List.of(), NOW)).isEmpty();
        assertThat(RolloutDecider.next(MEMBERS, "1", healthy, 10, List.of(), NOW)).as("rolling back works the same way").hasValue("i-new");
    }
}
