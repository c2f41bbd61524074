package io.autoheal.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoheal.api.v1alpha1.InlineMachine;
import io.autoheal.api.v1alpha1.MachineTemplate;
import io.autoheal.fleet.InstanceFlexibility;
import java.util.List;

/**
 * An inline machine with its ordered instance type alternatives: what the owned launch template's versions are derived
 * from (the list is part of the spec hash), so a changed list is a new version and rolls the machines like any template
 * change. Without alternatives it is the plain machine, whose hash — and version — stay what they were.
 */
public final class FlexibleMachine extends InlineMachine {
    private static final ObjectMapper JSON = new ObjectMapper();

    public List<String> instanceTypes;

    static InlineMachine of(InlineMachine machine, List<String> instanceTypes) {
        if (instanceTypes == null || instanceTypes.isEmpty()) {
            return machine;
        }
        FlexibleMachine m = JSON.convertValue(machine, FlexibleMachine.class);
        m.instanceTypes = List.copyOf(instanceTypes);
        return m;
    }

    /** The group's alternatives as the spec asks for them (none: the launch template's type only). */
    static InstanceFlexibility flexibility(MachineTemplate t) {
        if (t.instanceTypes == null || t.instanceTypes.isEmpty()) {
            return InstanceFlexibility.NONE;
        }
        return new InstanceFlexibility(t.instanceTypes, t.spotPercentage == null ? 0 : t.spotPercentage,
                Boolean.TRUE.equals(t.capacityRebalance));
    }
}
