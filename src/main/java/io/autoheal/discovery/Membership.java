package io.autoheal.discovery;

import io.autoheal.api.v1alpha1.DiscoveryAddressType;
import io.autoheal.api.v1alpha1.HealingClusterSpec;
import io.autoheal.api.v1alpha1.InstanceHealth;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.bootstrap.BootstrapPhase;
import io.autoheal.cluster.InService;
import io.autoheal.cluster.healing.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is a member and in which state, decided from the status rows the reporter built from the healer's verdicts —
 * never from a second reading of AWS — so "ready" here is exactly status.readyReplicas' notion ({@link InService}).
 * Pure: the same rows always give the same list, sorted by instance id.
 */
public final class Membership {
    /** Replaced ahead of AWS while it still serves: it drains like a terminating endpoint. */
    private static final Set<String> REPLACED_AHEAD = Set.of(Verdict.Reason.SpotInterruption.name(),
            Verdict.Reason.RebalanceRecommended.name(), Verdict.Reason.ScheduledChange.name());

    private Membership() {
    }

    /** @param versions launch template version per instance id (the group's view); missing ids have none. */
    public static List<Member> of(HealingClusterSpec spec, List<InstanceStatus> rows, Map<String, String> versions) {
        boolean eipRequired = spec.elasticIps != null && spec.elasticIps.required;
        boolean bootstrapped = spec.bootstrap != null;
        DiscoveryAddressType type = spec.discovery == null ? DiscoveryAddressType.Private : spec.discovery.addressType;
        List<Member> members = new ArrayList<>();
        for (InstanceStatus row : rows == null ? List.<InstanceStatus>of() : rows) {
            if ("terminated".equals(row.state)) {
                continue;
            }
            String address = type == DiscoveryAddressType.Public ? row.publicIp : row.privateIp;
            boolean terminating = leavingForGood(row) || (row.health == InstanceHealth.Unhealthy && REPLACED_AHEAD.contains(row.reason));
            boolean ready = address != null && !terminating && InService.of(row, eipRequired);
            boolean couldServe = address != null && "running".equals(row.state) && (!eipRequired || row.eipAllocationId != null)
                    && (!bootstrapped || (row.bootstrap != null && BootstrapPhase.Succeeded.name().equals(row.bootstrap.phase)));
            members.add(new Member(row.instanceId, row.privateIp, row.publicIp, address, row.zone, versions.get(row.instanceId),
                    ready, ready || (terminating && couldServe), terminating));
        }
        members.sort(Comparator.comparing(Member::instanceId));
        return List.copyOf(members);
    }

    /** Terminating or detaching (not parked in Standby or a warm pool, which may come back). */
    private static boolean leavingForGood(InstanceStatus row) {
        if ("shutting-down".equals(row.state)) {
            return true;
        }
        String lifecycle = row.lifecycle == null ? "" : row.lifecycle;
        return row.health == InstanceHealth.Leaving && (lifecycle.startsWith("Terminat") || lifecycle.startsWith("Detach"));
    }
}
