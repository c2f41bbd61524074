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
 * @param unreadable  null when the spares were read; else why DescribeWarmPool failed for this group (AccessDenied, a
 *                    throttle): the configuration (from the group) is known, the spares are not, and nothing acts on them
 */
public record ObservedWarmPool(int minSize, Integer maxPrepared, String poolState, List<ObservedAsg.AsgMember> spares, String unreadable) {
    public ObservedWarmPool {
        spares = spares == null ? List.of() : List.copyOf(spares);
    }

    public ObservedWarmPool(int minSize, Integer maxPrepared, String poolState, List<ObservedAsg.AsgMember> spares) {
        this(minSize, maxPrepared, poolState, spares, null);
    }

    /** The configuration without its spares: DescribeWarmPool failed for this group only. */
    public static ObservedWarmPool unreadable(int minSize, Integer maxPrepared, String poolState, String why) {
        return new ObservedWarmPool(minSize, maxPrepared, poolState, List.of(), why == null ? "unknown error" : why);
    }

    public boolean sparesKnown() {
        return unreadable == null;
    }
}
