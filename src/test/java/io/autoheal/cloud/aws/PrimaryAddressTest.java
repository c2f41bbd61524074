package io.autoheal.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import io.autoheal.fleet.ObservedAddress;
import java.util.Map;

/** Which of a machine's Elastic IPs its status row shows: the one that is its public IP, else the lowest id. */
class PrimaryAddressTest {
    static ObservedAddress address(String id, String ip) {
        return new ObservedAddress(id, ip, "i-1", "eipassoc-" + id, null, Map.of());
    }

    @Test
    void theAddressOnThePrimaryPublicIpWinsWhateverTheOrder() {
        ObservedAddress secondary = address("eipalloc-1", "203.0.113.1");
        ObservedAddress primary = address("eipalloc-2", "203.0.113.2");
        assertThat(RegionSnapshot.primary(List.of(secondary, primary), "203.0.113.2")).isEqualTo(primary);
        assertThat(RegionSnapshot.primary(List.of(primary, secondary), "203.0.113.2")).isEqualTo(primary);
    }

    @Test
    void otherwiseTheLowestAllocationIdAndNoneWithoutAddresses() {
        ObservedAddress b = address("eipalloc-b", "203.0.113.1");
        ObservedAddress a = address("eipalloc-a", "203.0.113.2");
        assertThat(RegionSnapshot.primary(List.of(b, a), "198.51.100.9")).isEqualTo(a);
        assertThat(RegionSnapshot.primary(List.of(b, a), null)).isEqualTo(a);
        assertThat(RegionSnapshot.primary(List.of(), "198.51.100.9")).isNull();
    }
}
