package io.autoheal.cluster.warm;

import java.util.ArrayList;
import java.util.List;

/**
 * Pure: what to do with each warm spare (an instance in the group's warm pool) this pass. A spare launched into
 * {@code Warmed:Pending:Wait} runs its bootstrap there; once bootstrapped (its autoheal.io/warm-bootstrapped tag, read
 * back, says so) the launch hook is completed and it goes to the pool's state. A spare whose bootstrap failed for good
 * is replaced in the pool: it is not a machine of the cluster, so it costs none of the healing budget.
 */
public final class WarmSpareDecider {
    private WarmSpareDecider() {
    }

    /** What happens to one spare. */
    public enum Action {
        /** Run (trigger or poll) its bootstrap: it waits in Warmed:Pending:Wait. */
        BOOTSTRAP,
        /** Bootstrapped: CONTINUE the launch hook, it goes to the pool's state (stopped by default). */
        COMPLETE,
        /** Failed (or warmed without its bootstrap): leaves the pool, which launches another spare. */
        REPLACE,
        /** Moving, prepared and bootstrapped, or leaving: nothing to do. */
        NONE
    }

    /**
     * One warm-pool instance as the decider sees it.
     *
     * @param lifecycle       its warm-pool lifecycle state (Warmed:Pending:Wait, Warmed:Stopped, ...)
     * @param bootstrapped    the instance carries the tag saying its bootstrap succeeded while warmed
     * @param bootstrapFailed its bootstrap gave up (every attempt failed)
     */
    public record Spare(String instanceId, String lifecycle, boolean bootstrapped, boolean bootstrapFailed) {
        boolean waiting() {
            return "Warmed:Pending:Wait".equals(lifecycle);
        }

        boolean prepared() {
            return "Warmed:Stopped".equals(lifecycle) || "Warmed:Running".equals(lifecycle) || "Warmed:Hibernated".equals(lifecycle);
        }
    }

    public record Decision(String instanceId, Action action, String why) {
    }

    /**
     * @param bootstrapRequired the cluster has spec.bootstrap: a spare must be bootstrapped before it is prepared
     * @param launchHooked      the group has the launch hook, so a new spare would wait for its bootstrap (without it, a
     *                          prepared spare that lacks its bootstrap is not replaced: its successor would lack it too)
     */
    public static List<Decision> decide(List<Spare> spares, boolean bootstrapRequired, boolean launchHooked) {
        List<Decision> out = new ArrayList<>();
        for (Spare s : spares) {
            out.add(decide(s, bootstrapRequired, launchHooked));
        }
        return out;
    }

    static Decision decide(Spare s, boolean bootstrapRequired, boolean launchHooked) {
        String id = s.instanceId();
        if (s.waiting()) {
            if (!bootstrapRequired || s.bootstrapped()) {
                return new Decision(id, Action.COMPLETE, "warm spare " + id + (bootstrapRequired ? " bootstrapped" : " launched")
                        + ": launch continued, it waits in the warm pool");
            }
            if (s.bootstrapFailed()) {
                return new Decision(id, Action.REPLACE, "warm spare " + id + " failed its bootstrap: abandoned, the warm pool launches "
                        + "another (not counted toward spec.health.maxRemediationsPerHour)");
            }
            return new Decision(id, Action.BOOTSTRAP, "warm spare " + id + " bootstraps while warmed");
        }
        if (s.prepared() && bootstrapRequired && !s.bootstrapped() && launchHooked) {
            return new Decision(id, Action.REPLACE, "warm spare " + id + " is " + s.lifecycle() + " without its bootstrap: terminated, "
                    + "the warm pool launches another that bootstraps while warmed");
        }
        return new Decision(id, Action.NONE, "");
    }

    /** Spares ready to serve: prepared, and bootstrapped when a bootstrap is required. */
    public static int ready(List<Spare> spares, boolean bootstrapRequired) {
        return (int) spares.stream().filter(s -> s.prepared() && (!bootstrapRequired || s.bootstrapped())).count();
    }
}
