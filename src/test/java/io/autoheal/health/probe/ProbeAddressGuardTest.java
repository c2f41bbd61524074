package io.autoheal.health.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeAddressGuardTest {

    @Test
    void bothRangesApply() {
        ProbeAddressGuard guard = new ProbeAddressGuard(List.of("127.0.0.0/8", "10.0.0.0/8"), List.of("127.0.0.0/8"));
        assertThat(guard.refusal("127.0.0.5")).isEmpty();
        assertThat(guard.refusal("172.31.4.5")).hasValueSatisfying(w -> assertThat(w).contains("probe-allowed-cidrs"));
        assertThat(guard.refusal("54.214.1.2")).isPresent();
        assertThat(guard.refusal("10.1.2.3")).as("probe range allows it, the outbound guard not")
                .hasValueSatisfying(w -> assertThat(w).contains("autoheal.outbound.allowed-cidrs"));
    }

    @Test
    void theDefaultIsAnyAddressButNeverAName() {
        ProbeAddressGuard guard = new ProbeAddressGuard(List.of("any"), List.of("any"));
        assertThat(guard.refusal("172.31.4.5")).isEmpty();
        assertThat(guard.refusal("example.com")).isPresent();
        assertThat(guard.refusal(null)).hasValueSatisfying(w -> assertThat(w).contains("no such address"));
    }

    @Test
    void anIpv4MappedAddressIsJudgedAsItsIpv4() {
        ProbeAddressGuard guard = new ProbeAddressGuard(List.of("127.0.0.0/8"), List.of("any"));
        assertThat(guard.refusal("::ffff:172.31.0.9")).isPresent();
        assertThat(guard.refusal("::ffff:127.0.0.9")).isEmpty();
    }

    /** Only strict literals are judged; anything else is refused before InetAddress could resolve or widen it. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} -> {1}")
    @org.junit.jupiter.params.provider.CsvSource({
            "127.0.0.1, true", "10.1.2.3, true", "255.255.255.255, true", "0.0.0.0, true",
            "::1, true", "2001:db8::5, true", "::ffff:127.0.0.9, true", "fe80::1, true",
            "dead.beef, false", "cafe, false", "abc.def, false", "127.1, false", "127.0.1, false", "2130706433, false",
            "0x7f.0.0.1, false", "127.0.0.01, false", "256.0.0.1, false", "127.0.0.1., false", ".127.0.0.1, false",
            "1.2.3.4.5, false", "example.com, false", "localhost, false", "[::1], false", "fe80::1%eth0, false", "1::2::3, false", "'', false"})
    void onlyAStrictIpLiteralIsJudged(String address, boolean literal) {
        ProbeAddressGuard guard = new ProbeAddressGuard(List.of("any"), List.of("any"));
        assertThat(guard.refusal(address).isEmpty()).isEqualTo(literal);
        if (!literal) {
            assertThat(guard.refusal(address)).hasValueSatisfying(w -> assertThat(w).containsAnyOf("not an IP address", "no such address"));
        }
    }
}
