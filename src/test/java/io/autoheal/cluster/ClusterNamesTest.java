package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.fleet.Installations;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/** Group and launch template names: injective in (installation, namespace, name), within AWS' limits; legacy names kept. */
class ClusterNamesTest {
    /** Launch template names: 3-128 of [a-zA-Z0-9().-/_]; Auto Scaling Group names: 1-255 (a subset of it here). */
    static final java.util.regex.Pattern AWS_NAME = java.util.regex.Pattern.compile("^[a-zA-Z0-9().\\-/_]{3,128}$");

    @Test
    void namespacesThatShareAHyphenAndInstallationsGetDifferentNames() {
        assertThat(ClusterNames.owned("default", "a-b", "c")).isNotEqualTo(ClusterNames.owned("default", "a", "b-c"));
        assertThat(ClusterNames.owned("staging", "ns", "web")).isNotEqualTo(ClusterNames.owned("production", "ns", "web"));
        assertThat(ClusterNames.owned("default", "payments", "voip")).isEqualTo("autoheal_default_payments_voip");
        // the legacy names of the first pair collide: the reason for the new naming
        assertThat(ClusterNames.legacy("a-b", "c")).isEqualTo(ClusterNames.legacy("a", "b-c"));
    }

    @Test
    void aLongTripleKeepsAReadablePrefixAndAHashWithinTheLaunchTemplateLimit() {
        String name = ClusterNames.owned("production-eu-west-1-blue-green", "n".repeat(63), "c".repeat(200));
        assertThat(name).hasSize(ClusterNames.MAX).startsWith("autoheal_production-eu-west-1-blue-green_nnn").matches(AWS_NAME)
                .containsPattern("_H[0-9A-F]{32}$");
    }

    /** status.asgName | inventory (tagged ours) | resolved: a legacy group is never renamed under its fleet. */
    @Test
    void resolution() {
        String legacy = "autoheal-ns-web";
        String owned = "autoheal_default_ns_web";
        record Row(Optional<String> adopted, Optional<String> recorded, List<String> tagged, String expected) {
        }
        List<Row> rows = List.of(
                new Row(Optional.empty(), Optional.empty(), List.of(), owned),                    // a new cluster
                new Row(Optional.empty(), Optional.of(legacy), List.of(), legacy),                // upgraded: keeps its group
                new Row(Optional.empty(), Optional.of(owned), List.of(legacy), owned),            // the status has the last word
                new Row(Optional.empty(), Optional.empty(), List.of(legacy), legacy),             // status lost: found by its tags
                new Row(Optional.empty(), Optional.empty(), List.of(legacy, owned), owned),       // both: the new one
                new Row(Optional.empty(), Optional.of("someone-elses"), List.of(), owned),        // an edited status is no pointer
                new Row(Optional.of("adopted"), Optional.of(legacy), List.of(legacy), "adopted")); // adopted: its own name
        for (Row r : rows) {
            assertThat(ClusterNames.resolve(r.adopted(), r.recorded(), r.tagged(), "default", "ns", "web")).as(r.toString())
                    .isEqualTo(r.expected());
        }
    }

    @Property(tries = 3000)
    void distinctTriplesGetDistinctValidNames(@ForAll("triples") List<Tuple.Tuple3<String, String, String>> triples) {
        Map<String, Tuple.Tuple3<String, String, String>> seen = new HashMap<>();
        for (var t : Set.copyOf(triples)) {
            String name = ClusterNames.owned(t.get1(), t.get2(), t.get3());
            assertThat(name).matches(AWS_NAME).hasSizeLessThanOrEqualTo(255);
            var before = seen.put(name, t);
            assertThat(before).as("%s and %s share the name %s", before, t, name).isNull();
        }
    }

    /** Small alphabets with '-' and '.' so that near-collisions (a-b/c vs a/b-c) are frequent; some very long parts. */
    @Provide
    Arbitrary<List<Tuple.Tuple3<String, String, String>>> triples() {
        Arbitrary<String> installation = Arbitraries.oneOf(Arbitraries.of("default", "a", "a-b", "b"),
                Arbitraries.strings().withChars("ab-").ofMinLength(1).ofMaxLength(32)
                        .filter(s -> Installations.ID.matcher(s).matches()));
        Arbitrary<String> namespace = Arbitraries.oneOf(Arbitraries.strings().withChars("ab-").ofMinLength(1).ofMaxLength(6),
                Arbitraries.strings().withChars("ab-").ofLength(63));
        Arbitrary<String> name = Arbitraries.oneOf(Arbitraries.strings().withChars("ab-.").ofMinLength(1).ofMaxLength(6),
                Arbitraries.strings().withChars("ab-.").ofMinLength(100).ofMaxLength(253));
        return Combinators.combine(installation, namespace, name).as(Tuple::of).list().ofMinSize(2).ofMaxSize(40);
    }
}
