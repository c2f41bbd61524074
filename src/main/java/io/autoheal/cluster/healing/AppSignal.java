package io.autoheal.cluster.healing;

import java.time.Instant;

/**
 * One conclusive application-health failure of a machine, as a health source judged it (a probe past its
 * failureThreshold, a load-balancer target unhealthy for unhealthyAfter, a listed Prometheus alert firing). A source
 * reports only conclusive failures: thresholds, grace and vantage-point doubts are the source's, the budget is the
 * {@link HealthDecider}'s.
 *
 * @param reason ProbeFailed, TargetUnhealthy or AlertFiring
 * @param source what failed: the probe's name, the target group's ARN, the alert's name
 * @param detail the last error, short and free of secrets (shown in the machine's status row)
 * @param since  when the source first saw the failure
 */
public record AppSignal(Verdict.Reason reason, String source, String detail, Instant since) {
    public AppSignal {
        if (reason != Verdict.Reason.ProbeFailed && reason != Verdict.Reason.TargetUnhealthy && reason != Verdict.Reason.AlertFiring) {
            throw new IllegalArgumentException("not an application-health reason: " + reason);
        }
    }
}
