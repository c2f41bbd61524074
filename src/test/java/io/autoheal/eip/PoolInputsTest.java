package io.autoheal.eip;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.fleet.ObservedAddress;
import io.autoheal.fleet.Tags;
import io.autoheal.cloud.aws.FleetInstances;
import io.autoheal.fleet.FleetInstance;
import io.autoheal.testing.ClusterManifest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterface;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceAssociation;
import software.amazon.awssdk.services.ec2.model.InstancePrivateIpAddress;

/** What AWS answers, mapped to the allocator's inputs: above all, which machine already carries another Elastic IP. */
class PoolInputsTest {
    static final String ACCOUNT = "123456789012";
    static final String POOL_IP = "198.51.100.1";

    static InstanceNetworkInterfaceAssociation owned(String ip, String owner) {
        return InstanceNetworkInterfaceAssociation.builder().publicIp(ip).ipOwnerId(owner).build();
    }

    /** One interface whose primary private IP has this association (AWS repeats it on the interface). */
    static InstanceNetworkInterface primary(InstanceNetworkInterfaceAssociation association) {
        return InstanceNetworkInterface.builder().association(association)
                .privateIpAddresses(InstancePrivateIpAddress.builder().primary(true).privateIpAddress("10.0.0.5").association(association).build())
                .build();
    }

    /** Built as AWS answers it and mapped by the adapter, so the mapping of every network interface is tested too. */
    static FleetInstance instance(String id, String cluster, String state, InstanceNetworkInterface... interfaces) {
        return FleetInstances.of(Instance.builder().instanceId(id).state(s -> s.name(state)).launchTime(Instant.parse("2025-01-01T00:00:00Z"))
                .placement(p -> p.availabilityZone("us-east-1b"))
                .tags(t -> t.key(Tags.CLUSTER).value(cluster)).networkInterfaces(interfaces).build());
    }

    static boolean carries(InstanceNetworkInterface... interfaces) {
        return PoolInputs.carriesOtherElasticIp(instance("i-1", "ns/a", "running", interfaces), Set.of(POOL_IP));
    }

    @Nested
    class CarriesOtherElasticIp {
        @Test
        void aPublicIpAwsAssignedAtLaunchIsNoElasticIp() {
            assertThat(carries(primary(owned("203.0.113.7", "amazon")))).isFalse();
        }

        @Test
        void anElasticIpOfTheAccountThatIsNotThePoolsIsAnotherOne() {
            assertThat(carries(primary(owned("203.0.113.7", ACCOUNT)))).isTrue();
        }

        @Test
        void thePoolsOwnAddressIsNotAnotherOne() {
            assertThat(carries(primary(owned(POOL_IP, ACCOUNT)))).isFalse();
        }

        @Test
        void anElasticIpOnASecondaryPrivateIpOrASecondInterfaceCounts() {
            InstanceNetworkInterface secondaryIp = InstanceNetworkInterface.builder().association(owned(POOL_IP, ACCOUNT))
                    .privateIpAddresses(InstancePrivateIpAddress.builder().primary(true).association(owned(POOL_IP, ACCOUNT)).build(),
                            InstancePrivateIpAddress.builder().primary(false).association(owned("203.0.113.8", ACCOUNT)).build())
                    .build();
            assertThat(carries(secondaryIp)).isTrue();
            assertThat(carries(primary(owned("203.0.113.9", "amazon")), primary(owned("203.0.113.8", ACCOUNT)))).isTrue();
        }

        @Test
        void noInterfaceNoPublicIpOrNoOwnerIsNothingToProtect() {
            assertThat(carries()).isFalse();
            assertThat(carries(InstanceNetworkInterface.builder().build())).isFalse();
            assertThat(carries(primary(owned(null, ACCOUNT)))).isFalse();
            assertThat(carries(primary(owned("203.0.113.7", null)))).isFalse();
        }
    }

    @Nested
    class Candidates {
        static HealingCluster cluster(String name, boolean paused) {
            return ClusterManifest.named(name).poolRef("pool").paused(paused).toResource("ns");
        }

        @Test
        void theFlagZoneAndStateComeFromDescribeInstances() {
            List<ObservedAddress> pool = List.of(new ObservedAddress("eipalloc-1", POOL_IP, null, null, null, Map.of()));
            List<CandidateInstance> out = PoolInputs.candidates(List.of(
                            instance("i-own", "ns/a", "running", primary(owned("203.0.113.7", ACCOUNT))),
                            instance("i-pool", "ns/a", "running", primary(owned(POOL_IP, ACCOUNT))),
                            instance("i-plain", "ns/a", "pending", primary(owned("203.0.113.9", "amazon"))),
                            instance("i-dead", "ns/a", "terminated"),
                            instance("i-stranger", "ns/zzz", "running")),
                    List.of(cluster("a", false)), pool);
            Instant launch = Instant.parse("2025-01-01T00:00:00Z");
            assertThat(out).containsExactly(
                    new CandidateInstance("i-own", "ns/a", InstanceState.RUNNING, launch, "us-east-1b", true),
                    new CandidateInstance("i-pool", "ns/a", InstanceState.RUNNING, launch, "us-east-1b", false),
                    new CandidateInstance("i-plain", "ns/a", InstanceState.PENDING, launch, "us-east-1b", false),
                    new CandidateInstance("i-dead", "ns/a", InstanceState.TERMINATED, launch, "us-east-1b", false));
        }

        @Test
        void aPausedClustersRunningMachinesGetNoNewAddress() {
            List<CandidateInstance> out = PoolInputs.candidates(List.of(instance("i-1", "ns/a", "running")), List.of(cluster("a", true)), List.of());
            assertThat(out).singleElement().extracting(CandidateInstance::state).isEqualTo(InstanceState.STOPPED);
        }
    }
}
