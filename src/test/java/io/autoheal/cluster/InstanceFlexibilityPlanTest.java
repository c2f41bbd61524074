package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.InlineMachine;
import io.autoheal.api.v1alpha1.MachineTemplate;
import io.autoheal.fleet.InstanceFlexibility;
import io.autoheal.fleet.ObservedAsg;
import io.autoheal.fleet.Tags;
import io.autoheal.fleet.AsgAction;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Pure: ordered instance type alternatives in the ASG plan, and as part of the owned launch template's version. */
class InstanceFlexibilityPlanTest {
    static final String KEY = "prod/voip";
    static final Map<String, String> TAGS = Map.of(Tags.CLUSTER, KEY);
    static final InstanceFlexibility AB = new InstanceFlexibility(List.of("m5.large", "m5a.large"), 0, false);

    static DesiredAsg want(InstanceFlexibility f) {
        return DesiredAsg.builder("g").capacity(1, 2, 3).template("lt-1", "2", f).subnetIds(List.of("subnet-a")).tags(TAGS).build();
    }

    static ObservedAsg observed(InstanceFlexibility f) {
        return new ObservedAsg("g", 1, 2, 3, "lt-1", "2", List.of("subnet-a"), TAGS, Set.of(), Set.of(), false, List.of(), f);
    }

    static Stream<Arguments> plans() {
        return Stream.of(
                Arguments.of("same alternatives: nothing to do", AB, AB, false),
                Arguments.of("none wanted, none there", InstanceFlexibility.NONE, InstanceFlexibility.NONE, false),
                Arguments.of("alternatives added", AB, InstanceFlexibility.NONE, true),
                Arguments.of("alternatives removed", InstanceFlexibility.NONE, AB, true),
                Arguments.of("order changed", new InstanceFlexibility(List.of("m5a.large", "m5.large"), 0, false), AB, true),
                Arguments.of("a type replaced", new InstanceFlexibility(List.of("m5.large", "m6i.large"), 0, false), AB, true),
                Arguments.of("spot share changed", new InstanceFlexibility(AB.instanceTypes(), 50, false), AB, true),
                Arguments.of("capacity rebalance turned on", new InstanceFlexibility(AB.instanceTypes(), 0, true), AB, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void theGroupIsUpdatedExactlyWhenItsAlternativesDiffer(String name, InstanceFlexibility wanted, InstanceFlexibility there, boolean update) {
        List<AsgAction> actions = AsgPlanner.plan(want(wanted), Optional.of(observed(there)), KEY, false).actions();
        if (update) {
            assertThat(actions).singleElement().isInstanceOfSatisfying(AsgAction.Update.class, u -> assertThat(u.flexibility()).isEqualTo(wanted));
        } else {
            assertThat(actions).isEmpty();
        }
    }

    @Test
    void aNewGroupIsCreatedWithItsAlternativesInOrder() {
        List<AsgAction> actions = AsgPlanner.plan(want(AB), Optional.empty(), KEY, false).actions();
        assertThat(actions).singleElement().isInstanceOfSatisfying(AsgAction.Create.class,
                c -> assertThat(c.flexibility().instanceTypes()).containsExactly("m5.large", "m5a.large"));
    }

    static InlineMachine machine() {
        InlineMachine m = new InlineMachine();
        m.imageId = "ami-0123456789abcdef0";
        m.instanceType = "m5.large";
        return m;
    }

    @Test
    void theListIsPartOfTheTemplateVersionAndNoListLeavesTheVersionAsItWas() {
        String plain = io.autoheal.cloud.aws.LaunchTemplatesHash.of(machine());
        assertThat(io.autoheal.cloud.aws.LaunchTemplatesHash.of(FlexibleMachine.of(machine(), null))).isEqualTo(plain);
        assertThat(io.autoheal.cloud.aws.LaunchTemplatesHash.of(FlexibleMachine.of(machine(), List.of()))).isEqualTo(plain);
        String ab = io.autoheal.cloud.aws.LaunchTemplatesHash.of(FlexibleMachine.of(machine(), List.of("m5.large", "m5a.large")));
        String ba = io.autoheal.cloud.aws.LaunchTemplatesHash.of(FlexibleMachine.of(machine(), List.of("m5.large", "m6i.large")));
        assertThat(ab).isNotEqualTo(plain).isNotEqualTo(ba);
        assertThat(io.autoheal.cloud.aws.LaunchTemplatesHash.of(FlexibleMachine.of(machine(), List.of("m5.large", "m5a.large")))).isEqualTo(ab);
        FlexibleMachine copy = (FlexibleMachine) FlexibleMachine.of(machine(), List.of("m5.large"));
        assertThat(copy.imageId).isEqualTo("ami-0123456789abcdef0");
        assertThat(copy.instanceType).isEqualTo("m5.large");
    }

    @Test
    void theSpecsFlexibility() {
        MachineTemplate t = new MachineTemplate();
        assertThat(FlexibleMachine.flexibility(t)).isEqualTo(InstanceFlexibility.NONE);
        t.instanceTypes = List.of("m5.large", "m5a.large");
        t.spotPercentage = 30;
        t.capacityRebalance = true;
        assertThat(FlexibleMachine.flexibility(t)).isEqualTo(new InstanceFlexibility(List.of("m5.large", "m5a.large"), 30, true));
    }
}
