package io.autoheal.fleet;

import java.util.List;

/**
 * A group's warm pool as read from AWS (DescribeWarmPool): its configuration and the spares in it, each with its
 * Warmed:* lifecycle state. Spares are not members of the group: they serve nothing, count toward nothing and get no
 * Elastic IP until the group takes them into service.
 *
 * @param minSize     MinSize (the operator writes spec.warmPool.size here and as MaxGroupPreparedCapacity)
 * @param maxPrepared MaxGroupPreparedCapacity, null when unset
 * @param poolState   Stopped, Running or Hibernated
 */
public record ObservedWarmPool(int minSize, Integer maxPrepared, String poolState, List<ObservedAsg.AsgMember> spares) {
    public ObservedWarmPool {
        spares = spares == null ? List.of() : List.copyOf(spares);
    }
}
