package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.RolloutPhase;
import io.autoheal.api.v1alpha1.RolloutStatus;
import io.autoheal.kube.Reason;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** status.rollout in Kubernetes terms: the Progressing condition per phase, the Event and metric outcome per change. */
class RolloutReportTest {
    static RolloutStatus at(RolloutPhase phase, Integer checkpoint) {
        RolloutStatus s = new RolloutStatus();
        s.phase = phase;
        s.stableVersion = "1";
        s.targetVersion = "2";
        s.updated = 1;
        s.total = 3;
        s.pausedAtPercent = checkpoint;
        s.message = "launch template version 2 failed: i-c is unhealthy (ProbeFailed)";
        return s;
    }

    static Stream<Arguments> progressing() {
        return Stream.of(
                Arguments.of(RolloutPhase.Rolling, "True:RollingOut"),
                Arguments.of(RolloutPhase.Baking, "True:RollingOut"),
                Arguments.of(RolloutPhase.Paused, "False:RolloutPaused"),
                Arguments.of(RolloutPhase.RollingBack, "False:RolledBack"),
                Arguments.of(RolloutPhase.Failed, "False:RolledBack"),
                Arguments.of(RolloutPhase.Complete, "none"));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource
    void progressing(RolloutPhase phase, String expected) {
        assertThat(RolloutReport.progressing(at(phase, null)).map(s -> s.status() + ":" + s.reason()).orElse("none")
                .replace("true", "True").replace("false", "False")).isEqualTo(expected);
    }

    static Stream<Arguments> transitions() {
        return Stream.of(
                Arguments.of(RolloutPhase.Complete, RolloutPhase.Rolling, null, "Normal:RolloutStarted:-"),
                Arguments.of(RolloutPhase.Rolling, RolloutPhase.Baking, null, "Normal:RolloutBaking:-"),
                Arguments.of(RolloutPhase.Baking, RolloutPhase.Paused, 50, "Warning:RolloutPaused:-"),
                Arguments.of(RolloutPhase.Rolling, RolloutPhase.Paused, null, "Warning:RolloutPaused:paused"),
                Arguments.of(RolloutPhase.Baking, RolloutPhase.RollingBack, null, "Warning:RolledBack:rolled_back"),
                Arguments.of(RolloutPhase.RollingBack, RolloutPhase.Failed, null, "Warning:RolledBack:-"),
                Arguments.of(RolloutPhase.Baking, RolloutPhase.Complete, null, "Normal:NewVersionAvailable:completed"),
                Arguments.of(RolloutPhase.Baking, RolloutPhase.Baking, null, "none"),
                Arguments.of(null, RolloutPhase.Complete, null, "none"));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource
    void transitions(RolloutPhase from, RolloutPhase to, Integer checkpoint, String expected) {
        Optional<RolloutReport.Transition> t = RolloutReport.transition(from == null ? null : at(from, null), at(to, checkpoint));
        assertThat(t.map(x -> (x.warning() ? "Warning" : "Normal") + ":" + x.reason() + ":" + x.outcome().orElse("-")).orElse("none"))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("progressing")
    void readyIsHeldFalseOnlyWhileRollingBack(RolloutPhase phase, String ignored) {
        assertThat(RolloutReport.notReady(at(phase, null)).map(RolloutReport.State::reason))
                .isEqualTo(phase == RolloutPhase.RollingBack ? Optional.of(Reason.RollingBack) : Optional.empty());
    }

    static Stream<Arguments> alertGauges() {
        return Stream.of(
                Arguments.of(RolloutPhase.Rolling, null, "failed=false paused=false"),
                Arguments.of(RolloutPhase.Baking, null, "failed=false paused=false"),
                Arguments.of(RolloutPhase.Paused, 50, "failed=false paused=true"),
                Arguments.of(RolloutPhase.Paused, null, "failed=true paused=false"),
                Arguments.of(RolloutPhase.RollingBack, null, "failed=true paused=false"),
                Arguments.of(RolloutPhase.Failed, null, "failed=true paused=false"),
                Arguments.of(RolloutPhase.Complete, null, "failed=false paused=false"),
                Arguments.of(null, null, "failed=false paused=false"));
    }

    /** autoheal_rollout_failed / autoheal_rollout_paused (AutohealRolloutFailed, AutohealRolloutPaused). */
    @ParameterizedTest(name = "{0} at {1}% → {2}")
    @MethodSource
    void alertGauges(RolloutPhase phase, Integer checkpoint, String expected) {
        var s = phase == null ? null : at(phase, checkpoint);
        assertThat("failed=" + RolloutReport.failed(s) + " paused=" + RolloutReport.atCheckpoint(s)).isEqualTo(expected);
    }
}
