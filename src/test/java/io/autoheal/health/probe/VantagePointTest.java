package io.autoheal.health.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.health.probe.VantagePoint.Probed;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ProbesInconclusive: when the prober, not the machines, is the likelier cause. */
class VantagePointTest {

    /** "zone:cluster:probed/failing" entries. */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("nothing probed", List.of(), Set.of()),
                Arguments.of("one cluster wholly failing: its own application (the budget guards it)", List.of("a:x:3/3"), Set.of()),
                Arguments.of("two clusters, most of each failing", List.of("a:x:3/2", "a:y:4/3"), Set.of("a")),
                Arguments.of("two clusters, one half failing (not most)", List.of("a:x:3/3", "a:y:4/2"), Set.of()),
                Arguments.of("two clusters, one healthy", List.of("a:x:3/3", "a:y:4/0"), Set.of()),
                Arguments.of("three clusters all failing in a, b fine", List.of("a:x:2/2", "a:y:2/2", "a:z:1/1", "b:x:2/0", "b:y:2/0"), Set.of("a")),
                Arguments.of("per zone: failures in a and b of different clusters", List.of("a:x:2/2", "b:y:2/2"), Set.of()),
                Arguments.of("both zones inconclusive", List.of("a:x:1/1", "a:y:1/1", "b:x:2/2", "b:y:3/2"), Set.of("a", "b")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void zones(String name, List<String> entries, Set<String> expected) {
        List<Probed> machines = new ArrayList<>();
        for (String e : entries) {
            String[] p = e.split(":");
            String[] n = p[2].split("/");
            int probed = Integer.parseInt(n[0]);
            int failing = Integer.parseInt(n[1]);
            for (int i = 0; i < probed; i++) {
                machines.add(new Probed(p[0], p[1], i < failing));
            }
        }
        assertThat(VantagePoint.inconclusiveZones(machines)).isEqualTo(expected);
    }
}
