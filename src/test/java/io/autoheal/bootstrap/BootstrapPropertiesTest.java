package io.autoheal.bootstrap;

import static io.autoheal.bootstrap.BootstrapFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.InstanceBootstrapStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random passes of one machine through restore, plan, act and status write, with random readiness, refused
 * triggers, triggers sent whose answer was lost, poll answers (final, not final, unreadable), long pauses
 * (timeouts) and lost status writes (a crash after the trigger and its tag, before the status). Invariants:
 * attempts never exceed maxAttempts nor the triggers that reached the bootstrapper, a new job is only ever
 * triggered when no earlier job is still undecided, and never within the retry back-off after a lost answer.
 */
class BootstrapPropertiesTest {
    static final JobStatus[] ANSWERS = {JobStatus.of(BootstrapPhase.Pending), JobStatus.of(BootstrapPhase.Queued),
            JobStatus.of(BootstrapPhase.Running), JobStatus.of(BootstrapPhase.Running), JobStatus.of(BootstrapPhase.Succeeded),
            JobStatus.failed("boom"), JobStatus.failed("boom"), JobStatus.unknown(BootstrapFailure.Timeout, "slow"),
            JobStatus.unknown(BootstrapFailure.HttpStatus, "HTTP 502")};

    @Property(tries = 2000)
    void attemptsAreBoundedAndOneJobIsInFlightAtATime(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int maxAttempts,
                                                       @ForAll boolean gateLaunch) {
        BootstrapPolicy policy = new BootstrapPolicy(Duration.ofMinutes(30), maxAttempts, Duration.ofSeconds(30), Duration.ofMinutes(5),
                gateLaunch, Duration.ofMinutes(10), Duration.ofSeconds(10));
        Random random = new Random(seed);
        InstanceBootstrapStatus row = null;
        String tag = null;
        Set<String> undecided = new HashSet<>();
        int triggers = 0;
        int reached = 0; // POSTs the bootstrapper received: accepted or answer lost
        Instant notBefore = null;
        Instant now = T0;
        for (int pass = 0; pass < 80; pass++) {
            now = now.plusSeconds(random.nextInt(10) == 0 ? 1800 + random.nextInt(600) : random.nextInt(120));
            BootstrapRecord r = BootstrapRows.restore(row, tag, policy, now);
            BootstrapTarget target = new BootstrapTarget("i-1", "10.0.0.5", random.nextInt(5) != 0, random.nextInt(4) != 0, random.nextBoolean());
            BootstrapPlan plan = BootstrapPlanner.plan(target, r, policy, now);
            r = plan.record();
            boolean lost = false;
            switch (plan.step().kind()) {
                case TRIGGER -> {
                    assertThat(undecided).as("a job is still undecided").isEmpty();
                    assertThat(r.inFlight()).isFalse();
                    assertThat(plan.step().attempt()).isEqualTo(r.awaitingAnswer() ? r.attempts() : r.attempts() + 1).isLessThanOrEqualTo(maxAttempts);
                    if (notBefore != null) {
                        assertThat(now).as("re-posted within the back-off after a lost answer").isAfterOrEqualTo(notBefore);
                    }
                    int outcome = random.nextInt(5);
                    if (outcome == 0) {
                        r = BootstrapStateMachine.onTrigger(r, TriggerResult.failed(BootstrapFailure.ConnectionRefused, "refused"), policy, now);
                    } else if (outcome == 1) {
                        reached++;
                        lost = true;
                        r = BootstrapStateMachine.onTrigger(r, TriggerResult.answerLost(BootstrapFailure.Timeout, "lost"), policy, now);
                    } else {
                        reached++;
                        String id = "job-" + ++triggers;
                        undecided.add(id);
                        tag = id; // the tag is written right after the trigger, before the status
                        r = BootstrapStateMachine.onTriggered(r, id, now);
                    }
                }
                case HEARTBEAT, POLL -> {
                    if (plan.step().kind() == BootstrapStep.Kind.HEARTBEAT) {
                        assertThat(gateLaunch && target.awaitingLaunchHook()).isTrue();
                        r = BootstrapStateMachine.onHeartbeat(r, now);
                    }
                    r = BootstrapStateMachine.onPoll(r, ANSWERS[random.nextInt(ANSWERS.length)], policy, now);
                }
                default -> {
                }
            }
            if (random.nextInt(6) != 0) { // else: a crash loses this pass's status write
                row = BootstrapRows.toRow(r);
                notBefore = lost ? now.plus(policy.backoffBase()) : notBefore;
            }
            BootstrapRecord persisted = BootstrapRows.toRecord(row, now);
            if (!persisted.inFlight()) {
                undecided.remove(persisted.jobId());
            }
            assertThat(persisted.attempts()).isLessThanOrEqualTo(maxAttempts).isLessThanOrEqualTo(reached);
            assertThat(undecided).hasSizeLessThanOrEqualTo(1);
        }
    }
}
