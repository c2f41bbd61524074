package io.autoheal.tenant;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Whether a cluster or pool may act on AWS under the TenantPolicies: decided from the applicable policies, the
 * installation's mode and the violations of the one applicable policy. A refusal names the field (or the missing policy).
 * While the policies are not read a third answer: wait (not allowed, not refused: nothing is known to refuse).
 *
 * @param waitingSince set only for a wait: since when the policies are not read
 */
public record TenantVerdict(boolean allowed, String message, Instant waitingSince) {
    static final TenantVerdict ALLOWED = new TenantVerdict(true, "");
    /** A wait shorter than this (the operator starting, a CRD just installed) is not said: no condition, no Event. */
    public static final Duration SAY_WAIT_AFTER = Duration.ofSeconds(30);
    /** How soon a waiting resource looks again. */
    public static final Duration WAIT_RETRY = Duration.ofSeconds(2);

    public TenantVerdict(boolean allowed, String message) {
        this(allowed, message, null);
    }

    /** The policies are not read yet: the resource acts on nothing and looks again soon. */
    public boolean waiting() {
        return waitingSince != null;
    }

    /** A wait is said (condition, Event) once it has lasted {@link #SAY_WAIT_AFTER}; a brief one is not worth a write. */
    public boolean worthSaying(Instant now) {
        return waiting() && !now.isBefore(waitingSince.plus(SAY_WAIT_AFTER));
    }

    /** The whole rule, from one snapshot: not read → wait; no CRD → as no policy (the message says why); else the policies. */
    public static TenantVerdict decide(TenantMode mode, TenantSnapshot snapshot, String namespace,
            java.util.function.Function<io.autoheal.api.v1alpha1.TenantAllow, List<Violation>> check) {
        return switch (snapshot.state()) {
            case SYNCING -> new TenantVerdict(false, snapshot.notRead(namespace), snapshot.since());
            case NO_CRD -> mode == TenantMode.open ? ALLOWED
                    : refused("the TenantPolicy CRD (tenantpolicies.autoheal.io) is not installed and the tenant-policy mode is"
                            + " enforced: no cluster or pool may act until it is installed (kubectl apply -f crds/) with a policy for"
                            + " namespace " + namespace);
            case SYNCED -> decide(mode, namespace, snapshot.applicable(namespace), check);
        };
    }

    public static TenantVerdict decide(TenantMode mode, String namespace, ApplicablePolicy applicable,
            java.util.function.Function<io.autoheal.api.v1alpha1.TenantAllow, List<Violation>> check) {
        if (applicable.several()) {
            return refused("several TenantPolicies apply to namespace " + namespace + " (" + String.join(", ", applicable.names())
                    + "); a namespace may have one: narrow their spec.namespaces or spec.namespaceSelector");
        }
        if (applicable.none()) {
            return mode == TenantMode.open ? ALLOWED
                    : refused("no TenantPolicy applies to namespace " + namespace + " and the tenant-policy mode is enforced");
        }
        var policy = applicable.only();
        List<Violation> violations = check.apply(policy.getSpec().allow);
        if (violations.isEmpty()) {
            return ALLOWED;
        }
        String name = policy.getMetadata().getName();
        String first = violations.get(0).describe(name);
        return refused(violations.size() == 1 ? first : first + " (and " + (violations.size() - 1) + " more)");
    }

    private static TenantVerdict refused(String message) {
        return new TenantVerdict(false, message);
    }
}
