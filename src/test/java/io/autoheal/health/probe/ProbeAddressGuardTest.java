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
}
