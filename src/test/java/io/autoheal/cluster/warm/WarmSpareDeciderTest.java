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

    static Stream<Arguments> versionRows() {
        return Stream.of(
                // lifecycle, bootstrapped, spare version, wanted version -> action, outdated
                // a rolled-back group (wanted 3) with a bootstrapped spare of the failed version 4: replaced, never continued
                Arguments.of("Warmed:Stopped", true, "4", "3", Action.REPLACE, true),
                Arguments.of("Warmed:Pending:Wait", true, "4", "3", Action.REPLACE, true),
                Arguments.of("Warmed:Pending:Wait", false, "4", "3", Action.REPLACE, true),
                Arguments.of("Warmed:Running", true, "2", "3", Action.REPLACE, true),
                // at the wanted version: as without versions
                Arguments.of("Warmed:Stopped", true, "3", "3", Action.NONE, false),
                Arguments.of("Warmed:Pending:Wait", true, "3", "3", Action.COMPLETE, false),
                Arguments.of("Warmed:Pending:Wait", false, "3", "3", Action.BOOTSTRAP, false),
                // unknown or moving versions compare as equal (no churn on what cannot be compared)
                Arguments.of("Warmed:Stopped", true, null, "3", Action.NONE, false),
                Arguments.of("Warmed:Stopped", true, "4", null, Action.NONE, false),
                Arguments.of("Warmed:Stopped", true, "4", "$Latest", Action.NONE, false),
                Arguments.of("Warmed:Pending:Wait", true, "$Default", "3", Action.COMPLETE, false),
                // moving or leaving: nothing, whatever its version
                Arguments.of("Warmed:Pending", false, "4", "3", Action.NONE, false),
                Arguments.of("Warmed:Pending:Proceed", true, "4", "3", Action.NONE, false),
                Arguments.of("Warmed:Terminating", true, "4", "3", Action.NONE, false));
    }

    @ParameterizedTest(name = "{0} bootstrapped={1} version={2} wanted={3} -> {4}")
    @MethodSource("versionRows")
    void anOutdatedSpareIsReplacedNotContinued(String lifecycle, boolean bootstrapped, String version, String wanted, Action expected,
                                               boolean outdated) {
        var d = WarmSpareDecider.decide(List.of(new Spare("i-1", lifecycle, bootstrapped, false, version)), wanted, true, true).get(0);
        assertThat(d.action()).isEqualTo(expected);
        assertThat(d.outdated()).isEqualTo(outdated);
        if (outdated) {
            assertThat(d.why()).contains("i-1").contains("version " + version).contains("version " + wanted);
        }
    }

    @org.junit.jupiter.api.Test
    void oneOutdatedSparePerPassTheOthersWaitAndAreNotReady() {
        var spares = List.of(new Spare("i-1", "Warmed:Stopped", true, false, "4"), new Spare("i-2", "Warmed:Pending:Wait", true, false, "4"),
                new Spare("i-3", "Warmed:Stopped", true, false, "3"), new Spare("i-4", "Warmed:Pending:Wait", false, false, "3"));
        var d = WarmSpareDecider.decide(spares, "3", true, true);
        assertThat(d).extracting(WarmSpareDecider.Decision::action).containsExactly(Action.REPLACE, Action.NONE, Action.NONE, Action.BOOTSTRAP);
        assertThat(d.get(1).outdated()).as("waits for a later pass, not continued").isTrue();
        assertThat(WarmSpareDecider.ready(spares, "3", true)).isEqualTo(1);
        assertThat(WarmSpareDecider.ready(spares, null, true)).isEqualTo(2);
    }

    @org.junit.jupiter.api.Test
    void aWarmBootstrapCountsInServiceOnlyAtTheWantedVersion() {
        assertThat(WarmSpareDecider.warmBootstrapCounts("3", "3")).isTrue();
        assertThat(WarmSpareDecider.warmBootstrapCounts("4", "3")).isFalse();
        assertThat(WarmSpareDecider.warmBootstrapCounts(null, "3")).isTrue();
        assertThat(WarmSpareDecider.warmBootstrapCounts("4", "$Latest")).isTrue();
    }

    /**
     * Safety under rollback: whatever the pool holds, a spare of another (known) version than the wanted one is never
     * continued nor bootstrapped; at most one spare is replaced for being outdated per pass; and every spare gets
     * exactly one decision, in order.
     */
    @Property
    void anOutdatedSpareNeverEntersThePoolAsBootstrappedAndAtMostOneLeavesPerPass(
            @ForAll("pools") List<Spare> spares, @ForAll("versions") String wanted, @ForAll boolean hooked) {
        var decisions = WarmSpareDecider.decide(spares, wanted, true, hooked);
        assertThat(decisions).extracting(WarmSpareDecider.Decision::instanceId).containsExactlyElementsOf(spares.stream().map(Spare::instanceId).toList());
        for (int i = 0; i < spares.size(); i++) {
            Spare s = spares.get(i);
            var d = decisions.get(i);
            if (WarmSpareDecider.outdated(s, wanted)) {
                assertThat(d.action()).as("%s at %s, wanted %s", s.lifecycle(), s.version(), wanted).isIn(Action.REPLACE, Action.NONE);
            }
            if (d.action() == Action.REPLACE && d.outdated()) {
                assertThat(WarmSpareDecider.outdated(s, wanted)).isTrue();
            }
        }
        assertThat(decisions.stream().filter(d -> d.action() == Action.REPLACE && d.outdated()).count()).isLessThanOrEqualTo(1);
        // an outdated spare that waits or is prepared always gets its turn: the first one is replaced
        spares.stream().filter(s -> WarmSpareDecider.outdated(s, wanted) && (s.lifecycle().equals("Warmed:Pending:Wait")
                || s.lifecycle().equals("Warmed:Stopped") || s.lifecycle().equals("Warmed:Running") || s.lifecycle().equals("Warmed:Hibernated")))
                .findFirst()
                .ifPresent(first -> assertThat(decisions.get(spares.indexOf(first)).action()).isEqualTo(Action.REPLACE));
        assertThat(WarmSpareDecider.ready(spares, wanted, true)).isLessThanOrEqualTo(
                (int) spares.stream().filter(s -> !WarmSpareDecider.outdated(s, wanted)).count());
    }

    @Provide
    Arbitrary<List<Spare>> pools() {
        Arbitrary<Spare> spare = net.jqwik.api.Combinators.combine(lifecycles(), Arbitraries.of(true, false), Arbitraries.of(true, false), versions())
                .as((l, b, f, v) -> new Spare("i", l, b, f, v));
        return spare.list().ofMaxSize(6).map(l -> {
            List<Spare> named = new java.util.ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                Spare s = l.get(i);
                named.add(new Spare("i-" + i, s.lifecycle(), s.bootstrapped(), s.bootstrapFailed(), s.version()));
            }
            return named;
        });
    }

    @Provide
    Arbitrary<String> versions() {
        return Arbitraries.of("1", "2", "3", "$Latest").injectNull(0.2);
    }

    @Provide
    Arbitrary<String> lifecycles() {
        return Arbitraries.of("Warmed:Pending", "Warmed:Pending:Wait", "Warmed:Pending:Proceed", "Warmed:Stopped", "Warmed:Running",
                "Warmed:Hibernated", "Warmed:Terminating", "Warmed:Terminating:Wait", "Warmed:Terminating:Proceed", "Warmed:Terminated");
    }
}
