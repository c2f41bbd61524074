package io.autoheal.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.fleet.ClusterObservation;
import io.autoheal.fleet.ObservedAsg;
import io.autoheal.fleet.ObservedInstance;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * When the inventory may serve a group from its snapshot (at rest) and when it follows it with targeted reads (in
 * transition): a wrong "settled" would hide a replacement in flight for a whole resync.
 */
class SettledGroupTest {
    static ClusterObservation group(int desired, boolean deleting, String... members) {
        List<ObservedAsg.AsgMember> asgMembers = new java.util.ArrayList<>();
        Map<String, ObservedInstance> instances = new LinkedHashMap<>();
        int n = 0;
        for (String m : members) {
            String[] parts = m.split("/"); // lifecycle/ec2 state, or lifecycle/- for a member EC2 does not list yet
            String id = "i-" + n++;
            asgMembers.add(new ObservedAsg.AsgMember(id, parts[0], "Healthy", "us-east-1a", "1"));
            if (!"-".equals(parts[1])) {
                instances.put(id, new ObservedInstance(id, parts[1], "us-east-1a", "10.0.0." + n, null, Instant.EPOCH, Map.of(), "ok", null));
            }
        }
        return new ClusterObservation(Optional.of(new ObservedAsg("g", 1, desired, 5, "lt-1", "1", List.of(), Map.of(), Set.of(), Set.of(),
                deleting, asgMembers)), instances);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("all in service and running", group(2, false, "InService/running", "InService/running"), true),
                Arguments.of("one short of desired", group(3, false, "InService/running", "InService/running"), false),
                Arguments.of("one more than desired (scale-in)", group(1, false, "InService/running", "InService/running"), false),
                Arguments.of("a successor pending", group(2, false, "InService/running", "Pending/pending"), false),
                Arguments.of("held by the launch gate", group(2, false, "InService/running", "Pending:Wait/running"), false),
                Arguments.of("one terminating", group(2, false, "InService/running", "Terminating/shutting-down"), false),
                Arguments.of("stopped behind the group's back", group(2, false, "InService/running", "InService/stopped"), false),
                Arguments.of("a member EC2 does not list yet", group(2, false, "InService/running", "InService/-"), false),
                Arguments.of("being deleted", group(2, true, "InService/running", "InService/running"), false),
                Arguments.of("no group", new ClusterObservation(Optional.empty(), Map.of()), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aGroupIsSettledOnlyWhenNothingInItIsMoving(String name, ClusterObservation observed, boolean settled) {
        assertThat(FleetInventory.settled(observed)).isEqualTo(settled);
    }
}
