package io.autoheal.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class GlobPropertiesTest {

    /** The reference: what the admission policy's CEL does (quote everything, '*' becomes '.*', anchored). */
    @Property(tries = 2000)
    void agreesWithTheAnchoredRegexTheAdmissionPolicyBuilds(@ForAll("patterns") String pattern, @ForAll("values") String value) {
        String regex = "^" + Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*")) + "$";
        assertThat(Glob.matches(pattern, value)).isEqualTo(Pattern.compile(regex, Pattern.DOTALL).matcher(value).matches());
    }

    @Property
    void everyValueMatchesItselfAndStar(@ForAll("values") String value) {
        assertThat(Glob.matches(value, value)).isTrue();
        assertThat(Glob.matches("*", value)).isTrue();
        assertThat(Glob.matches(value + "x", value)).isFalse();
    }

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.strings().withChars("ab.-*/(").ofMaxLength(8);
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.strings().withChars("ab.-/(").ofMaxLength(10);
    }
}
