package io.autoheal.testing;

import io.autoheal.fleet.AwsScope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autoheal.fleet.AddressWrites;
import io.autoheal.fleet.AsgAction;
import io.autoheal.fleet.CloudErrors;
import io.autoheal.fleet.CloudFailure;
import io.autoheal.fleet.LaunchGate;
import io.autoheal.kube.Reason;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The AWS semantics the fast tier relies on, shown on the in-memory fleet itself. */
@Tag("fast")
class InMemoryFleetTest {
    final TestClock clock = new TestClock(FastOperator.START);
    final InMemoryFleet fleet = new InMemoryFleet(clock);
    final CloudErrors errors = new CloudErrors();

    private List<String> group(int desired, boolean gated) {
        fleet.apply(AwsScope.own("r"), new AsgAction.Create("g", desired, desired, desired, "lt-1", "1", List.of("subnet-1", "subnet-2"),
                Map.of("autoheal.io/cluster", "ns/a"), gated));
        fleet.step();
        fleet.step();
        return fleet.serving("g");
    }

    @Test
    void aGroupLaunchesToDesiredAcrossItsZonesAndRepeatsAreRefusedAsAwsDoes() {
        List<String> ids = group(3, false);
        assertThat(ids).containsExactly("i-00000000000000001", "i-00000000000000002", "i-00000000000000003");
        assertThat(ids).allSatisfy(i -> assertThat(fleet.lifecycle("g", i)).isEqualTo("InService"));
        assertThat(fleet.group("g").orElseThrow().members()).extracting(m -> m.zone()).containsExactly("us-east-1a", "us-east-1b", "us-east-1a");
        assertThatThrownBy(() -> group(3, false)).isInstanceOfSatisfying(CloudFailure.class,
                e -> assertThat(e.errorCode()).isEqualTo("AlreadyExists"));
    }

    @Test
    void anAddressInUseIsNeverMovedAndTerminationFreesIt() {
        List<String> ids = group(2, false);
        String a = fleet.allocate(AwsScope.own("r"), "ns/pool", "default", "default/ns/pool");
        fleet.associate(AwsScope.own("r"), a, ids.get(0), "ns/a");
        assertThatThrownBy(() -> fleet.associate(AwsScope.own("r"), a, ids.get(1), "ns/a")).isInstanceOfSatisfying(CloudFailure.class,
                e -> assertThat(errors.errorCode(e)).isEqualTo(AddressWrites.ALREADY_ASSOCIATED));
        assertThat(fleet.addressOf(ids.get(0))).isEqualTo(a);
        fleet.replaceInstance(AwsScope.own("r"), ids.get(0));
        fleet.step();
        assertThat(fleet.state(ids.get(0))).isEqualTo("terminated");
        assertThat(fleet.addressOf(ids.get(0))).isNull();
        assertThat(fleet.serving("g")).hasSize(2).doesNotContain(ids.get(0));
    }

    @Test
    void theLaunchHookHoldsANewMachineUntilItsAnswerOrItsTimeout() {
        List<String> ids = group(2, true);
        assertThat(ids).allSatisfy(i -> assertThat(fleet.lifecycle("g", i)).isEqualTo("Pending:Wait"));
        fleet.completeLaunch(AwsScope.own("r"), "g", ids.get(0), true);
        assertThat(fleet.lifecycle("g", ids.get(0))).isEqualTo("InService");
        clock.advance(LaunchGate.HEARTBEAT_TIMEOUT.minus(Duration.ofMinutes(1)));
        fleet.heartbeat(AwsScope.own("r"), "g", ids.get(1));
        clock.advance(Duration.ofMinutes(2));
        fleet.step();
        assertThat(fleet.lifecycle("g", ids.get(1))).as("the heartbeat extended the wait").isEqualTo("Pending:Wait");
        clock.advance(LaunchGate.HEARTBEAT_TIMEOUT);
        fleet.step();
        assertThat(fleet.lifecycle("g", ids.get(1))).as("the hook's default result, ABANDON").isEqualTo("Terminating");
    }

    @Test
    void anInjectedFaultIsAnAwsErrorTheOperatorsClassifierReads() {
        fleet.faults.fail("AllocateAddress", "AddressLimitExceeded", 400, 1);
        assertThatThrownBy(() -> fleet.allocate(AwsScope.own("r"), "ns/pool", "default", "default/ns/pool")).isInstanceOfSatisfying(CloudFailure.class, e -> {
            assertThat(errors.reason(e)).isEqualTo(Reason.AwsBadRequest);
            assertThat(errors.isBadInput(e)).isTrue();
            assertThat(e.operation()).contains("AllocateAddress");
        });
        assertThat(fleet.allocate(AwsScope.own("r"), "ns/pool", "default", "default/ns/pool")).startsWith("eipalloc-"); // one-shot
        fleet.faults.fail("DescribeAddresses", "RequestLimitExceeded", 503, 1);
        assertThatThrownBy(() -> fleet.addresses(AwsScope.own("r"), new io.autoheal.fleet.AddressSelector(null, null, "ns/pool", "default")))
                .isInstanceOfSatisfying(CloudFailure.class, e -> {
                    assertThat(errors.reason(e)).isEqualTo(Reason.AwsError);
                    assertThat(e.kind()).isEqualTo(CloudFailure.Kind.THROTTLED);
                    assertThat(e.retryable()).isTrue();
                });
    }
}
