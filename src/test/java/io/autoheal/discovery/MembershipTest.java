package io.autoheal.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.DiscoveryAddressType;
import io.autoheal.api.v1alpha1.HealingClusterSpec;
import io.autoheal.api.v1alpha1.InstanceBootstrapStatus;
import io.autoheal.api.v1alpha1.InstanceHealth;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.testing.ClusterManifest;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MembershipTest {

    /** A spec: Elastic IPs required or not, bootstrap configured or not, which address is published. */
    static HealingClusterSpec spec(boolean eipRequired, boolean bootstrap, DiscoveryAddressType type) {
        ClusterManifest cluster = ClusterManifest.named("c").discovery(80);
        if (eipRequired) {
            cluster.poolRef("eips");
        }
        if (bootstrap) {
            cluster.bootstrapHttp("http://boot.example.com/t", "http://boot.example.com/r/{jobId}");
        }
        HealingClusterSpec spec = cluster.toResource("ns").getSpec();
        spec.discovery.addressType = type;
        return spec;
    }

    static InstanceStatus row(String state, String lifecycle, InstanceHealth health, String reason, String eip, String bootstrapPhase) {
        InstanceStatus r = new InstanceStatus();
        r.instanceId = "i-1";
        r.zone = "us-east-1a";
        r.privateIp = "10.0.0.1";
        r.publicIp = "54.0.0.1";
        r.state = state;
        r.lifecycle = lifecycle;
        r.health = health;
        r.reason = reason;
        r.eipAllocationId = eip;
        if (bootstrapPhase != null) {
            r.bootstrap = new InstanceBootstrapStatus();
            r.bootstrap.phase = bootstrapPhase;
        }
        return r;
    }

    static final HealingClusterSpec PLAIN = spec(false, false, DiscoveryAddressType.Private);
    static final HealingClusterSpec EIP = spec(true, false, DiscoveryAddressType.Private);
    static final HealingClusterSpec BOOT = spec(false, true, DiscoveryAddressType.Private);
    static final HealingClusterSpec PUBLIC = spec(false, false, DiscoveryAddressType.Public);

    static Stream<Arguments> rows() {
        // spec, row, expected: ready, serving, terminating
        return Stream.of(
                Arguments.of("healthy", PLAIN, row("running", "InService", InstanceHealth.Healthy, null, null, null), true, true, false),
                Arguments.of("starting", PLAIN, row("pending", "Pending", InstanceHealth.Starting, null, null, null), false, false, false),
                Arguments.of("bootstrapping", BOOT, row("running", "InService", InstanceHealth.Bootstrapping, null, null, "Running"),
                        false, false, false),
                Arguments.of("bootstrapped and healthy", BOOT, row("running", "InService", InstanceHealth.Healthy, null, null, "Succeeded"),
                        true, true, false),
                Arguments.of("stopped", PLAIN, row("stopped", "InService", InstanceHealth.Unhealthy, "Stopped", null, null), false, false, false),
                Arguments.of("impaired", PLAIN, row("running", "InService", InstanceHealth.Unhealthy, "StatusCheckImpaired", null, null),
                        false, false, false),
                Arguments.of("bootstrap failed", BOOT, row("running", "InService", InstanceHealth.Unhealthy, "BootstrapFailed", null, "Failed"),
                        false, false, false),
                Arguments.of("healthy, waits for its Elastic IP", EIP, row("running", "InService", InstanceHealth.Healthy, null, null, null),
                        false, false, false),
                Arguments.of("healthy, holds its Elastic IP", EIP, row("running", "InService", InstanceHealth.Healthy, null, "eipalloc-1", null),
                        true, true, false),
                Arguments.of("terminating, still running", PLAIN, row("running", "Terminating:Wait", InstanceHealth.Leaving, null, null, null),
                        false, true, true),
                Arguments.of("terminating, without its Elastic IP", EIP, row("running", "Terminating", InstanceHealth.Leaving, null, null, null),
                        false, false, true),
                Arguments.of("terminating, never bootstrapped", BOOT, row("running", "Terminating", InstanceHealth.Leaving, null, null, "Running"),
                        false, false, true),
                Arguments.of("shutting down", PLAIN, row("shutting-down", "Terminating", InstanceHealth.Leaving, null, null, null),
                        false, false, true),
                Arguments.of("detached", PLAIN, row("running", "Detached", InstanceHealth.Leaving, null, null, null), false, true, true),
                Arguments.of("parked in Standby", PLAIN, row("running", "Standby", InstanceHealth.Leaving, null, null, null), false, false, false),
                Arguments.of("spot interruption: replaced ahead, drains", PLAIN,
                        row("running", "InService", InstanceHealth.Unhealthy, "SpotInterruption", null, null), false, true, true),
                Arguments.of("rebalance advice: replaced ahead, drains", PLAIN,
                        row("running", "InService", InstanceHealth.Unhealthy, "RebalanceRecommended", null, null), false, true, true),
                Arguments.of("public address published", PUBLIC, row("running", "InService", InstanceHealth.Healthy, null, null, null),
                        true, true, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decidesEachMachinesState(String what, HealingClusterSpec spec, InstanceStatus row, boolean ready, boolean serving,
                                  boolean terminating) {
        List<Member> members = Membership.of(spec, List.of(row), Map.of("i-1", "3"));
        assertThat(members).hasSize(1);
        Member m = members.get(0);
        assertThat(m.ready()).as("ready").isEqualTo(ready);
        assertThat(m.serving()).as("serving").isEqualTo(serving);
        assertThat(m.terminating()).as("terminating").isEqualTo(terminating);
        assertThat(m.launchTemplateVersion()).isEqualTo("3");
        assertThat(m.address()).isEqualTo(spec.discovery.addressType == DiscoveryAddressType.Public ? "54.0.0.1" : "10.0.0.1");
    }

    @Test
    void aMachineWithoutTheChosenAddressIsListedButNeverReady() {
        InstanceStatus noPublic = row("running", "InService", InstanceHealth.Healthy, null, null, null);
        noPublic.publicIp = null;
        Member m = Membership.of(PUBLIC, List.of(noPublic), Map.of()).get(0);
        assertThat(m.address()).isNull();
        assertThat(m.ready()).isFalse();
        assertThat(m.serving()).isFalse();
    }

    @Test
    void terminatedMachinesAreNotMembersAndTheListIsSortedById() {
        InstanceStatus gone = row("terminated", "Terminated", InstanceHealth.Leaving, "TerminatedExternally", null, null);
        gone.instanceId = "i-0";
        InstanceStatus b = row("running", "InService", InstanceHealth.Healthy, null, null, null);
        b.instanceId = "i-b";
        InstanceStatus a = row("running", "InService", InstanceHealth.Healthy, null, null, null);
        a.instanceId = "i-a";
        assertThat(Membership.of(PLAIN, List.of(gone, b, a), Map.of())).extracting(Member::instanceId).containsExactly("i-a", "i-b");
    }

    @Test
    void readyIsTheReportersReadyReplicaNotion() {
        // Every row the table holds: a member is ready only where the reporter would count a ready replica.
        rows().forEach(args -> {
            HealingClusterSpec spec = (HealingClusterSpec) args.get()[1];
            InstanceStatus row = (InstanceStatus) args.get()[2];
            boolean eipRequired = spec.elasticIps != null && spec.elasticIps.required;
            Member m = Membership.of(spec, List.of(row), Map.of()).get(0);
            if (m.ready()) {
                assertThat(io.autoheal.cluster.InService.of(row, eipRequired)).as((String) args.get()[0]).isTrue();
            }
        });
    }
}
