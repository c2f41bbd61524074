package io.autoheal.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.bootstrap.BootstrapDecision.Step;
import io.autoheal.bootstrap.BootstrapRecord.Failure;
import io.autoheal.bootstrap.BootstrapRecord.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class BootstrapDecisionPropertiesTest {
    static final Instant T0 = Instant.parse("2026-11-25T03:00:00Z");

    /** Over random answer sequences: never more triggers than maxAttempts, never a trigger while a job is in flight. */
    @Property(tries = 1000)
    void attemptsAreBoundedAndOneJobAtATime(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int maxAttempts) {
        BootstrapPolicy policy = new BootstrapPolicy(Duration.ofMinutes(30), maxAttempts, Duration.ofSeconds(30), Duration.ofMinutes(5));
        Random random = new Random(seed);
        BootstrapRecord r = BootstrapRecord.fresh(T0);
        Instant now = T0;
        int triggers = 0;
        Phase[] answers = Phase.values();
        for (int step = 0; step < 60; step++) {
            now = now.plusSeconds(random.nextInt(900));
            Step next = BootstrapDecision.next(r, random.nextInt(5) != 0, r.jobId(), policy, now);
            if (next == Step.TRIGGER) {
                assertThat(r.inFlight()).isFalse();
                if (random.nextInt(6) == 0) {
                    r = BootstrapDecision.onTriggerFailed(r, Failure.HttpStatus, "HTTP 500", policy, now);
                } else {
                    triggers++;
                    r = BootstrapDecision.onTriggered(r, "job-" + triggers, now);
                }
            } else if (next == Step.POLL) {
                JobStatus status = random.nextInt(7) == 0 ? JobStatus.unknown(Failure.Timeout, "slow") : JobStatus.of(answers[random.nextInt(answers.length)]);
                r = BootstrapDecision.onStatus(r, status, policy, now);
            }
            assertThat(r.attempts()).isEqualTo(triggers).isLessThanOrEqualTo(maxAttempts);
        }
    }
}
