package io.autoheal.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Address;

/** Which of a machine's Elastic IPs its status row shows: the one that is its public IP, else the lowest id. */
class AwsFleetReaderPrimaryAddressTest {
    static Address address(String id, String ip) {
        return Address.builder().allocationId(id).publicIp(ip).instanceId("i-1").build();
    }

    @Test
    void theAddressOnThePrimaryPublicIpWinsWhateverTheOrder() {
        Address secondary = address("eipalloc-1", "203.0.113.1");
        Address primary = address("eipalloc-2", "203.0.113.2");
        assertThat(AwsFleetReader.primary(List.of(secondary, primary), "203.0.113.2")).isEqualTo(primary);
        assertThat(AwsFleetReader.primary(List.of(primary, secondary), "203.0.113.2")).isEqualTo(primary);
    }

    @Test
    void otherwiseTheLowestAllocationIdAndNoneWithoutAddresses() {
        Address b = address("eipalloc-b", "203.0.113.1");
        Address a = address("eipalloc-a", "203.0.113.2");
        assertThat(AwsFleetReader.primary(List.of(b, a), "198.51.100.9")).isEqualTo(a);
        assertThat(AwsFleetReader.primary(List.of(b, a), null)).isEqualTo(a);
        assertThat(AwsFleetReader.primary(List.of(), "198.51.100.9")).isNull();
    }
}
