package io.autoheal.cluster.warm;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.cluster.warm.WarmSpareDecider.Action;
import io.autoheal.cluster.warm.WarmSpareDecider.Spare;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table of warm-spare states: what the operator does with each (bootstrap, continue, replace in the pool, nothing). */
class WarmSpareDeciderTest {
    static Stream<Arguments> rows() {
        return Stream.of(
                // lifecycle, bootstrapped, failed, bootstrap required, hooked -> action
                Arguments.of("Warmed:Pending", false, false, true, true, Action.NONE),
                Arguments.of("Warmed:Pending:Wait", false, false, true, true, Action.BOOTSTRAP),
                Arguments.of("Warmed:Pending:Wait", true, false, true, true, Action.COMPLETE),
                Arguments.of("Warmed:Pending:Wait", false, true, true, true, Action.REPLACE),
                // the tag beats a stale failure: a bootstrapped spare is never thrown away
                Arguments.of("Warmed:Pending:Wait", true, true, true, true, Action.COMPLETE),
                Arguments.of("Warmed:Pending:Wait", false, false, false, true, Action.COMPLETE),
                Arguments.of("Warmed:Pending:Proceed", true, false, true, true, Action.NONE),
                Arguments.of("Warmed:Stopped", true, false, true, true, Action.NONE),
                Arguments.of("Warmed:Running", true, false, true, true, Action.NONE),
                Arguments.of("Warmed:Hibernated", true, false, true, true, Action.NONE),
                // prepared without its bootstrap (warmed before the hook existed): replaced, since its successor waits for one
                Arguments.of("Warmed:Stopped", false, false, true, true, Action.REPLACE),
                // ... unless there is no hook: its successor would lack the bootstrap too (no churn)
                Arguments.of("Warmed:Stopped", false, false, true, false, Action.NONE),
                Arguments.of("Warmed:Stopped", false, false, false, true, Action.NONE),
                Arguments.of("Warmed:Terminating", false, true, true, true, Action.NONE),
                Arguments.of("Warmed:Terminating:Wait", false, true, true, true, Action.NONE),
                Arguments.of("Warmed:Terminated", false, false, true, true, Action.NONE));
    }

    @ParameterizedTest(name = "{0} bootstrapped={1} failed={2} required={3} hooked={4} -> {5}")
    @MethodSource("rows")
    void eachSpareState(String lifecycle, boolean bootstrapped, boolean failed, boolean required, boolean hooked, Action expected) {
        var d = WarmSpareDecider.decide(List.of(new Spare("i-1", lifecycle, bootstrapped, failed)), required, hooked).get(0);
        assertThat(d.action()).isEqualTo(expected);
        assertThat(d.instanceId()).isEqualTo("i-1");
        if (expected == Action.REPLACE) {
            assertThat(d.why()).contains("i-1");
        }
    }

    @org.junit.jupiter.api.Test
    void readySparesArePreparedAndBootstrapped() {
        var spares = List.of(new Spare("i-1", "Warmed:Stopped", true, false), new Spare("i-2", "Warmed:Stopped", false, false),
                new Spare("i-3", "Warmed:Pending:Wait", true, false), new Spare("i-4", "Warmed:Running", true, false));
        assertThat(WarmSpareDecider.ready(spares, true)).isEqualTo(2);
        assertThat(WarmSpareDecider.ready(spares, false)).isEqualTo(3);
    }

    /** Safety: a spare that is bootstrapped is never replaced, and a spare never gets more than one action. */
    @Property
    void aBootstrappedSpareIsNeverReplaced(@ForAll("lifecycles") String lifecycle, @ForAll boolean failed, @ForAll boolean required,
                                           @ForAll boolean hooked) {
        var decisions = WarmSpareDecider.decide(List.of(new Spare("i-1", lifecycle, true, failed)), required, hooked);
        assertThat(decisions).hasSize(1);
        assertThat(decisions.get(0).action()).isNotEqualTo(Action.REPLACE).isNotEqualTo(Action.BOOTSTRAP);
    }

    /** Only a spare held at its hook is bootstrapped or continued: nothing acts on a moving or leaving spare. */
    @Property
    void onlyAWaitingSpareIsBootstrappedOrContinued(@ForAll("lifecycles") String lifecycle, @ForAll boolean bootstrapped,
                                                     @ForAll boolean failed, @ForAll boolean required, @ForAll boolean hooked) {
        Action a = WarmSpareDecider.decide(List.of(new Spare("i-1", lifecycle, bootstrapped, failed)), required, hooked).get(0).action();
        if (a == Action.BOOTSTRAP || a == Action.COMPLETE) {
            assertThat(lifecycle).isEqualTo("Warmed:Pending:Wait");
        }
    }

    @Provide
    Arbitrary<String> lifecycles() {
        return Arbitraries.of("Warmed:Pending", "Warmed:Pending:Wait", "Warmed:Pending:Proceed", "Warmed:Stopped", "Warmed:Running",
                "Warmed:Hibernated", "Warmed:Terminating", "Warmed:Terminating:Wait", "Warmed:Terminating:Proceed", "Warmed:Terminated");
    }
}
