package io.autoheal.cluster.warm;

import java.util.ArrayList;
import java.util.List;

/**
 * Pure: what to do with each warm spare (an instance in the group's warm pool) this pass. A spare launched into
 * {@code Warmed:Pending:Wait} runs its bootstrap there; once bootstrapped (its autoheal.io/warm-bootstrapped tag, read
 * back, says so) the launch hook is completed and it goes to the pool's state. A spare whose bootstrap failed for good
 * is replaced in the pool: it is not a machine of the cluster, so it costs none of the healing budget.
 *
 * <p>A spare launched from another launch template version than the one the group launches now (a rollout moved on,
 * or a failed one was rolled back) is outdated: its warm bootstrap proves nothing for the wanted version, so it is never
 * continued as bootstrapped, and it is replaced — one per pass, so the pool refills at the wanted version without
 * emptying at once.
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
        /** Failed, warmed without its bootstrap, or outdated: leaves the pool, which launches another spare. */
        REPLACE,
        /** Moving, prepared and bootstrapped, leaving, or outdated behind another's replacement: nothing to do. */
        NONE
    }

    /**
     * One warm-pool instance as the decider sees it.
     *
     * @param lifecycle       its warm-pool lifecycle state (Warmed:Pending:Wait, Warmed:Stopped, ...)
     * @param bootstrapped    the instance carries the tag saying its bootstrap succeeded while warmed
     * @param bootstrapFailed its bootstrap gave up (every attempt failed)
     * @param version         the launch template version it was launched from; null when unknown
     */
    public record Spare(String instanceId, String lifecycle, boolean bootstrapped, boolean bootstrapFailed, String version) {
        public Spare(String instanceId, String lifecycle, boolean bootstrapped, boolean bootstrapFailed) {
            this(instanceId, lifecycle, bootstrapped, bootstrapFailed, null);
        }

        boolean waiting() {
            return "Warmed:Pending:Wait".equals(lifecycle);
        }

        boolean prepared() {
            return "Warmed:Stopped".equals(lifecycle) || "Warmed:Running".equals(lifecycle) || "Warmed:Hibernated".equals(lifecycle);
        }
    }

    /** @param outdated replaced because its launch template version is not the wanted one (counted apart) */
    public record Decision(String instanceId, Action action, String why, boolean outdated) {
        public Decision(String instanceId, Action action, String why) {
            this(instanceId, action, why, false);
        }
    }

    /** Without a wanted version (unknown): no spare is outdated. */
    public static List<Decision> decide(List<Spare> spares, boolean bootstrapRequired, boolean launchHooked) {
        return decide(spares, null, bootstrapRequired, launchHooked);
    }

    /**
     * @param wantedVersion     the launch template version the group launches now (after a rollback: the stable one); null
     *                          or a moving alias ($Latest, $Default) when unknown: then no spare counts as outdated
     * @param bootstrapRequired the cluster has spec.bootstrap: a spare must be bootstrapped before it is prepared
     * @param launchHooked      the group has the launch hook, so a new spare would wait for its bootstrap (without it, a
     *                          prepared spare that lacks its bootstrap is not replaced: its successor would lack it too)
     */
    public static List<Decision> decide(List<Spare> spares, String wantedVersion, boolean bootstrapRequired, boolean launchHooked) {
        List<Decision> out = new ArrayList<>();
        boolean outdatedReplaced = false;
        for (Spare s : spares) {
            if (outdated(s, wantedVersion) && (s.waiting() || s.prepared())) {
                // One outdated spare leaves per pass; the others wait (a waiting one is not bootstrapped: it would be wasted).
                out.add(outdatedReplaced ? new Decision(s.instanceId(), Action.NONE, "", true) : replaceOutdated(s, wantedVersion));
                outdatedReplaced = true;
                continue;
            }
            out.add(decide(s, bootstrapRequired, launchHooked));
        }
        return out;
    }

    /** Launched from a known version other than the wanted one (aliases and unknowns compare as equal: no churn). */
    public static boolean outdated(Spare s, String wantedVersion) {
        return known(wantedVersion) && known(s.version()) && !wantedVersion.equals(s.version());
    }

    private static boolean known(String version) {
        return version != null && !version.isBlank() && !version.startsWith("$");
    }

    private static Decision replaceOutdated(Spare s, String wantedVersion) {
        String id = s.instanceId();
        return new Decision(id, Action.REPLACE, "warm spare " + id + " (" + s.lifecycle() + ") was launched from launch template version "
                + s.version() + ", the group now launches version " + wantedVersion + (s.bootstrapped() ? "; its bootstrap while warmed "
                + "does not count for " + wantedVersion : "") + ": replaced, the warm pool launches another at version " + wantedVersion
                + " (one outdated spare per pass; not counted toward spec.health.maxRemediationsPerHour)", true);
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
        return ready(spares, null, bootstrapRequired);
    }

    /** Spares ready to serve at the wanted version: prepared, not outdated, and bootstrapped when a bootstrap is required. */
    public static int ready(List<Spare> spares, String wantedVersion, boolean bootstrapRequired) {
        return (int) spares.stream().filter(s -> s.prepared() && !outdated(s, wantedVersion) && (!bootstrapRequired || s.bootstrapped())).count();
    }

    /**
     * Whether a machine taken into service from the warm pool may count its warm bootstrap: only when it runs the
     * version the group launches now (an outdated spare that slipped into service bootstraps again, like any machine).
     */
    public static boolean warmBootstrapCounts(String machineVersion, String wantedVersion) {
        return !outdated(new Spare("", "InService", true, false, machineVersion), wantedVersion);
    }
}
