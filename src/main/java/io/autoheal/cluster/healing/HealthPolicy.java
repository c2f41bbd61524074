package io.autoheal.cluster.healing;

import java.time.Duration;
import java.util.Optional;

/** The cluster's healing rules (spec.health), parsed. */
public record HealthPolicy(Duration startupTimeout, Duration unhealthyAfter, MaxUnhealthy maxUnhealthy, int maxRemediationsPerHour,
                           Duration maxCheckInterval) {

    /** A count ("3") or a percentage of the cluster's size ("40%"), resolved rounding down. */
    public record MaxUnhealthy(int value, boolean percent) {
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
            return percent ? (int) Math.floor(total * value / 100.0) : value;
        }

        @Override
        public String toString() {
            return percent ? value + "%" : String.valueOf(value);
        }
    }
}
