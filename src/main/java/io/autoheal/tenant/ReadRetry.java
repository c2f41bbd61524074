package io.autoheal.tenant;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;

/**
 * The {@link TenantPolicyReader}'s rule, pure: what a failed read means, and when to read again. A 404 is the CRD not
 * installed (looked for again every {@link #NO_CRD_RECHECK}, so one installed later is noticed); any other failure
 * leaves the policies unknown and is retried with back-off, doubling from 1 s to {@link #MAX_BACKOFF}.
 */
final class ReadRetry {
    static final Duration NO_CRD_RECHECK = Duration.ofSeconds(10);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private ReadRetry() {
    }

    /** The state a failed list or watch leaves: NO_CRD for a 404 (anywhere in the causes), else SYNCING. */
    static TenantSnapshot.State after(Throwable failure) {
        return notFound(failure) ? TenantSnapshot.State.NO_CRD : TenantSnapshot.State.SYNCING;
    }

    /** @param failures consecutive failed attempts, this one included (≥ 1) */
    static Duration nextAttempt(TenantSnapshot.State state, int failures) {
        if (state == TenantSnapshot.State.NO_CRD) {
            return NO_CRD_RECHECK;
        }
        int doublings = Math.min(Math.max(failures, 1) - 1, 10);
        Duration backoff = FIRST_BACKOFF.multipliedBy(1L << doublings);
        return backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
    }

    static boolean notFound(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof KubernetesClientException k && k.getCode() == 404) {
                return true;
            }
        }
        return false;
    }

    /** The failure as the snapshot says it (no Secret can be in it: an API error's status message). */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && root instanceof java.util.concurrent.CompletionException) {
            root = root.getCause();
        }
        String message = root instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null
                ? k.getCode() + " " + k.getStatus().getMessage() : String.valueOf(root.getMessage());
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }
}
