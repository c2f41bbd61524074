package io.autoheal.cluster.warm;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.fleet.ObservedAsg;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Says once what a cluster's warm pool pass leaves alone: a warm pool this operator did not make (Normal
 * {@link Reason#WarmPoolNotOwned}), or one whose spares could not be read (Warning {@link Reason#WarmPoolUnreadable}).
 * Each message is sent once while it lasts (no Event write per pass), and again should it come back after it ended.
 */
public final class WarmPoolNotices {
    private final EventRecorder events;
    /** Per cluster, the messages already said; a process restart says them again once. */
    private final Map<String, List<String>> said = new ConcurrentHashMap<>();

    public WarmPoolNotices(EventRecorder events) {
        this.events = events;
    }

    /** @param notices the group planner's notices this pass (empty: nothing to say, the memory is cleared) */
    public void pass(HealingCluster hc, List<String> notices, ObservedAsg group) {
        String unreadable = group == null || group.warmPool() == null || group.warmPool().sparesKnown() ? null
                : "The warm pool of Auto Scaling Group " + group.name() + " could not be read (" + group.warmPool().unreadable()
                + "): its spares are unknown and left alone this pass; the rest of the cluster (and the region) goes on";
        List<String> now = new java.util.ArrayList<>(notices);
        if (unreadable != null) {
            now.add(unreadable);
        }
        List<String> before = said.getOrDefault(hc.ownerKey(), List.of());
        for (String n : now) {
            if (!before.contains(n)) {
                if (n.equals(unreadable)) {
                    events.warning(hc, Reason.WarmPoolUnreadable, "DescribeWarmPool", n);
                } else {
                    events.normal(hc, Reason.WarmPoolNotOwned, "WarmPool", n);
                }
            }
        }
        if (now.isEmpty()) {
            said.remove(hc.ownerKey());
        } else {
            said.put(hc.ownerKey(), List.copyOf(now));
        }
    }
}
