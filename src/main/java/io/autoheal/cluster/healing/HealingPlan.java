package io.autoheal.cluster.healing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What {@link HealthDecider} decided for a cluster: verdicts, replacements, why some were held back, next check. */
public record HealingPlan(
        List<Verdict> verdicts,
        List<Remediation> remediate,
        List<String> optedOut,
        Optional<Block> blocked,
        Instant nextCheck) {

    public record Remediation(String instanceId, Verdict.Reason reason) {
    }

    /** Remediation held back: too many unhealthy (the short-circuit) or the hourly rate limit. */
    public record Block(Kind kind, int unhealthy, int allowed, int total, int recentRemediations, int perHour) {
        public enum Kind { MAX_UNHEALTHY, RATE_LIMIT }

        public String describe() {
            return kind == Kind.MAX_UNHEALTHY
                    ? unhealthy + " of " + total + " machines are unhealthy, more than the " + allowed
                    + " allowed by spec.health.maxUnhealthy: replacing nothing until fewer are unhealthy"
                    : recentRemediations + " replacements in the last hour reached spec.health.maxRemediationsPerHour=" + perHour
                    + ": waiting before replacing " + unhealthy + " more";
        }
    }

    public long count(Verdict.State state) {
        return verdicts.stream().filter(v -> v.state() == state).count();
    }
}
