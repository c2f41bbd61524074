package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.cluster.healing.Verdict.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The most severe notice wins, whatever the order AWS sends them in; the store is bounded in size and time. */
class AwsNoticesTest {
    static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

    static final class MovableClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(T0);

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "RebalanceRecommended                                    | RebalanceRecommended",
            "SpotInterruption                                        | SpotInterruption",
            // AWS's usual order: advice first, then the warning; the warning must not be dropped
            "RebalanceRecommended SpotInterruption                   | SpotInterruption",
            "SpotInterruption RebalanceRecommended                   | SpotInterruption",
            "RebalanceRecommended ScheduledChange                    | ScheduledChange",
            "ScheduledChange RebalanceRecommended                    | ScheduledChange",
            "ScheduledChange SpotInterruption                        | SpotInterruption",
            "SpotInterruption ScheduledChange                        | SpotInterruption",
            "RebalanceRecommended ScheduledChange SpotInterruption   | SpotInterruption",
            "SpotInterruption RebalanceRecommended ScheduledChange   | SpotInterruption",
            "RebalanceRecommended RebalanceRecommended               | RebalanceRecommended",
    })
    void theMostSevereNoticeWins(String sequence, Reason expected) {
        AwsNotices notices = new AwsNotices(Clock.fixed(T0, ZoneOffset.UTC));
        Arrays.stream(sequence.trim().split("\\s+")).map(Reason::valueOf).forEach(r -> notices.announce("i-1", r));
        assertThat(notices.of("i-1")).contains(expected);
        assertThat(notices.of("i-2")).isEmpty();
    }

    @Test
    void severityOrder() {
        assertThat(AwsNotices.severity(Reason.SpotInterruption)).isGreaterThan(AwsNotices.severity(Reason.ScheduledChange));
        assertThat(AwsNotices.severity(Reason.ScheduledChange)).isGreaterThan(AwsNotices.severity(Reason.RebalanceRecommended));
        // an equal notice keeps the first one's time: the machine's place in the advisory queue does not move back
        var first = new AwsNotices.Notice(Reason.RebalanceRecommended, T0);
        assertThat(AwsNotices.winner(first, new AwsNotices.Notice(Reason.RebalanceRecommended, T0.plusSeconds(60)))).isSameAs(first);
    }

    @Test
    void aNoticeExpiresAfterItsHours() {
        MovableClock clock = new MovableClock();
        AwsNotices notices = new AwsNotices(clock);
        notices.announce("i-1", Reason.SpotInterruption);
        clock.advance(Duration.ofHours(AwsNotices.KEEP_HOURS).minusSeconds(1));
        assertThat(notices.of("i-1")).contains(Reason.SpotInterruption);
        clock.advance(Duration.ofSeconds(1));
        assertThat(notices.of("i-1")).isEmpty();
        notices.announce("i-2", Reason.RebalanceRecommended);
        assertThat(notices.size()).as("expired notices are dropped as new ones come").isEqualTo(1);
    }

    @Test
    void theStoreIsBoundedOldestFirst() {
        MovableClock clock = new MovableClock();
        AwsNotices notices = new AwsNotices(clock, 3);
        for (int i = 1; i <= 5; i++) {
            notices.announce("i-" + i, Reason.RebalanceRecommended);
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(notices.size()).isEqualTo(3);
        assertThat(notices.of("i-1")).isEmpty();
        assertThat(notices.of("i-2")).isEmpty();
        assertThat(notices.of("i-5")).isPresent();
        // a warning for a machine already advised refreshes its place: it is not the next to go
        notices.announce("i-3", Reason.SpotInterruption);
        notices.announce("i-6", Reason.RebalanceRecommended);
        assertThat(notices.of("i-3")).contains(Reason.SpotInterruption);
        assertThat(notices.of("i-4")).isEmpty();
    }
}
