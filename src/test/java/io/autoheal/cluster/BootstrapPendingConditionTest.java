package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.bootstrap.BootstrapFailure;
import io.autoheal.bootstrap.BootstrapPhase;
import io.autoheal.bootstrap.BootstrapRecord;
import io.autoheal.kube.Reason;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** While machines wait for their bootstrap, the Bootstrapped condition names the failure that keeps one waiting. */
class BootstrapPendingConditionTest {
    static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

    static BootstrapRecord record(BootstrapPhase phase, BootstrapFailure failure, String message) {
        return new BootstrapRecord("job-1", phase, 1, T, T, null, failure, message, null);
    }

    @Test
    void anAnswerCutAt64KiBIsNamedInTheCondition() {
        var s = BootstrapPendingCondition.of(Map.of(
                "i-b", record(BootstrapPhase.Pending, BootstrapFailure.AnswerTooLarge, "trigger: the answer is longer than 64 KiB"),
                "i-a", record(BootstrapPhase.Succeeded, null, null)), 1, 2);
        assertThat(s.reason()).isEqualTo(Reason.BootstrapAnswerTooLarge);
        assertThat(s.message()).isEqualTo("1/2 machines bootstrapped; i-b: AnswerTooLarge: trigger: the answer is longer than 64 KiB");
    }

    @Test
    void anUnreadableAnswerHasItsOwnReasonAndOtherFailuresStayPending() {
        assertThat(BootstrapPendingCondition.of(Map.of("i-a", record(BootstrapPhase.Running, BootstrapFailure.Unparseable, "{\"error\": 1}")), 0, 1)
                .reason()).isEqualTo(Reason.BootstrapAnswerUnreadable);
        var timeout = BootstrapPendingCondition.of(Map.of("i-a", record(BootstrapPhase.Failed, BootstrapFailure.Timeout, null)), 0, 1);
        assertThat(timeout.reason()).isEqualTo(Reason.BootstrapPending);
        assertThat(timeout.message()).isEqualTo("0/1 machines bootstrapped; i-a: Timeout");
    }

    @Test
    void withoutAFailureOrOnlyInAnEarlierSucceededJobItIsPlainPending() {
        var s = BootstrapPendingCondition.of(Map.of("i-a", record(BootstrapPhase.Queued, null, null),
                "i-b", record(BootstrapPhase.Succeeded, BootstrapFailure.JobFailed, "attempt 1 failed")), 1, 2);
        assertThat(s.reason()).isEqualTo(Reason.BootstrapPending);
        assertThat(s.message()).isEqualTo("1/2 machines bootstrapped");
    }

    @Test
    void theFirstFailingMachineByIdIsNamedWhateverTheMapOrder() {
        var s = BootstrapPendingCondition.of(Map.of(
                "i-z", record(BootstrapPhase.Pending, BootstrapFailure.Timeout, "z"),
                "i-c", record(BootstrapPhase.Pending, BootstrapFailure.AnswerTooLarge, "c")), 0, 2);
        assertThat(s.message()).contains("i-c: AnswerTooLarge: c");
    }
}
