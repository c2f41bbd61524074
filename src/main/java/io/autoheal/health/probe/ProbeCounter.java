package io.autoheal.health.probe;

import java.time.Instant;

/**
 * Pure: one probe's consecutive results on one machine and the verdict they give, as Kubernetes counts its probes. A
 * machine starts passing; failureThreshold failures in a row make it failing (conclusive); successThreshold successes
 * in a row while failing make it pass again. Any success resets the failures, any failure resets the successes.
 *
 * @param lastError    the error of the last failure, kept while failing (shown in the machine's status row)
 * @param failingSince when it became failing, null while passing
 */
public record ProbeCounter(int successes, int failures, boolean failing, String lastError, Instant failingSince) {
    public static final ProbeCounter FRESH = new ProbeCounter(0, 0, false, null, null);

    /** @param error null for a success, else what went wrong ("HTTP 503", "connection refused", "timeout after 1s") */
    public ProbeCounter after(String error, int failureThreshold, int successThreshold, Instant now) {
        if (error == null) {
            int ok = saturated(successes);
            boolean stillFailing = failing && ok < successThreshold;
            return new ProbeCounter(ok, 0, stillFailing, stillFailing ? lastError : null, stillFailing ? failingSince : null);
        }
        int bad = saturated(failures);
        boolean nowFailing = failing || bad >= failureThreshold;
        return new ProbeCounter(0, bad, nowFailing, error, nowFailing ? (failing ? failingSince : now) : null);
    }

    /** Whether a result has been seen at all (a machine counts for the vantage-point check only then). */
    public boolean probed() {
        return successes > 0 || failures > 0;
    }

    private static int saturated(int n) {
        return n == Integer.MAX_VALUE ? n : n + 1;
    }
}
