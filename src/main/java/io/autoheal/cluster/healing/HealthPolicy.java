package io.autoheal.cluster.healing;

import java.time.Duration;
import java.util.Optional;

/**
 * The cluster's healing rules (spec.health), parsed, plus what healing needs to know of the rest of the spec.
 *
 * @param bootstrapBound        how long a machine's bootstrap may take once its first job was triggered: every
 *                              attempt's timeout plus the back-offs between them (zero without bootstrap). The
 *                              startup clock covers reaching a state where bootstrap can start; a machine whose job
 *                              is queued or running gets this much longer before it is StartupTimeout.
 * @param asgReplacesUnhealthy  the group's own ReplaceUnhealthy process runs (spec.health.exclusiveHealing false):
 *                              AWS replaces a machine terminated behind our back. When it is suspended, such a
 *                              machine stays listed in the group and only the operator can replace it.
 */
public record HealthPolicy(Duration startupTimeout, Duration unhealthyAfter, MaxUnhealthy maxUnhealthy, int maxRemediationsPerHour,
                           Duration maxCheckInterval, Duration bootstrapBound, boolean asgReplacesUnhealthy) {

    /**
     * A count ("3") or a percentage of the cluster's size ("40%"), resolved rounding down — but never below one:
     * one unhealthy machine may always be replaced, so a 1- or 2-machine cluster heals with every setting, while
     * the short-circuit still stops mass replacement in larger clusters.
     */
    public record MaxUnhealthy(int value, boolean percent) {
        /** The smallest budget: one replacement at a time. */
        public static final int FLOOR = 1;

        public static Optional<MaxUnhealthy> parse(String text) {
            if (text == null || text.isBlank()) {
                return Optional.empty();
            }
            String t = text.trim();
            boolean percent = t.endsWith("%");
            String digits = percent ? t.substring(0, t.length() - 1) : t;
            if (!digits.matches("[0-9]{1,4}")) {
                return Optional.empty();
            }
            int v = Integer.parseInt(digits);
            return percent && v > 100 ? Optional.empty() : Optional.of(new MaxUnhealthy(v, percent));
        }

        public int allowed(int total) {
            int computed = percent ? (int) Math.floor(total * value / 100.0) : value;
            return Math.max(FLOOR, computed);
        }

        @Override
        public String toString() {
            return percent ? value + "%" : String.valueOf(value);
        }
    }
}
