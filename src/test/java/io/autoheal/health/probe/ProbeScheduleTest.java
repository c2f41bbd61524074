package io.autoheal.health.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProbeScheduleTest {
    static final Instant IN_SERVICE = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void theFirstRunIsTheInitialDelayAfterServiceStartsPlusAnOffsetInsideThePeriod() {
        Instant first = ProbeSchedule.first(IN_SERVICE, 30, 10, "ns/a/i-1/web");
        assertThat(first).isBetween(IN_SERVICE.plusSeconds(30), IN_SERVICE.plusSeconds(40).minusMillis(1));
        assertThat(ProbeSchedule.first(IN_SERVICE, 30, 10, "ns/a/i-1/web")).as("stable").isEqualTo(first);
    }

    @Test
    void manyMachinesSpreadOverThePeriod() {
        int[] perSecond = new int[10];
        IntStream.range(0, 10_000).forEach(i -> perSecond[(int) ProbeSchedule.offset(10, "ns/a/i-" + i + "/web").toSeconds()]++);
        assertThat(java.util.Arrays.stream(perSecond).boxed().toList()).allSatisfy(n -> assertThat(n).isBetween(850, 1150)); // ~1,000 a second, no burst
    }

    @Test
    void laterRunsKeepThePhaseAndSkipWhatWasMissed() {
        Instant due = IN_SERVICE.plusMillis(2_300);
        assertThat(ProbeSchedule.next(due, 10, due)).isEqualTo(due.plusSeconds(10));
        Instant late = due.plus(Duration.ofSeconds(35));
        Instant next = ProbeSchedule.next(due, 10, late);
        assertThat(next).isAfter(late).isEqualTo(due.plusSeconds(40));
    }
}
