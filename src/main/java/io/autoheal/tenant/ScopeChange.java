package io.autoheal.tenant;

import io.autoheal.api.v1alpha1.AwsIdentityStatus;
import io.autoheal.fleet.AwsScope;

/**
 * Whether a cluster or pool may act with the AWS identity its namespace resolves to now, given the one its AWS resources
 * were made with (status.awsIdentity). An AWS resource name is account-blind: acting with another identity finds no
 * group or address there and builds a second fleet, leaving the first unmanaged. So a changed identity stops every AWS
 * call until the policy is restored, the resource is deleted (with the recorded identity), or the annotation
 * {@value #ACCEPT_ANNOTATION} names the new identity. Pure.
 */
public final class ScopeChange {
    /** Accepts a move to the identity it names (a role ARN, or {@value AwsIdentityStatus#OPERATOR}), and only to that one. */
    public static final String ACCEPT_ANNOTATION = "autoheal.io/accept-aws-identity";

    public enum Verdict {
        /** Nothing recorded (a new resource, or one made before the record existed): record the resolved identity, act. */
        RECORD,
        /** The recorded identity: act. */
        SAME,
        /** Changed, and the annotation accepts the new identity: record it, act. */
        ACCEPT,
        /** Changed: no AWS call. */
        CHANGED
    }

    private ScopeChange() {
    }

    /**
     * @param recorded status.awsIdentity, null when none
     * @param resolved the identity the namespace resolves to now
     * @param accepted the value of {@value #ACCEPT_ANNOTATION}, null when absent
     */
    public static Verdict decide(AwsIdentityStatus recorded, AwsIdentityStatus resolved, String accepted) {
        if (recorded == null || recorded.role == null || recorded.role.isBlank()) {
            return Verdict.RECORD;
        }
        if (recorded.role.equals(resolved.role)) {
            return Verdict.SAME;
        }
        return accepted != null && accepted.trim().equals(resolved.role) ? Verdict.ACCEPT : Verdict.CHANGED;
    }

    /** The identity a scope acts with: its role, or the operator's own. */
    public static AwsIdentityStatus identityOf(AwsScope scope) {
        return scope.isOwn() ? new AwsIdentityStatus(AwsIdentityStatus.OPERATOR, null) : new AwsIdentityStatus(scope.roleArn(), scope.account());
    }

    /**
     * The scope of a recorded identity in a region (what a deletion uses).
     *
     * @throws IllegalArgumentException when the record is neither a role ARN nor {@value AwsIdentityStatus#OPERATOR}
     */
    public static AwsScope scopeOf(AwsIdentityStatus recorded, String region, String namespace) {
        return AwsIdentityStatus.OPERATOR.equals(recorded.role) ? AwsScope.own(region) : AwsScope.assumed(region, recorded.role, namespace);
    }

    /** What a person reads on the resource (condition message and Warning Event): both identities and the ways out. */
    public static String changedMessage(String kind, AwsIdentityStatus recorded, AwsIdentityStatus resolved) {
        return "This " + kind + "'s AWS resources were made with " + describe(recorded) + " (status.awsIdentity), but its namespace's"
                + " identity is now " + describe(resolved) + " (its TenantPolicy was deleted or renamed, no longer matches the"
                + " namespace, or its spec.aws.roleArn changed). The operator makes no AWS call for it: acting as the new identity"
                + " would build a second fleet there and leave the first unmanaged. Restore the policy; or delete this " + kind
                + " (it is deleted with the recorded identity); or, to move it, annotate it " + ACCEPT_ANNOTATION + "="
                + resolved.role + " (docs/runbook.md, TenantScopeChanged)";
    }

    static String describe(AwsIdentityStatus identity) {
        return AwsIdentityStatus.OPERATOR.equals(identity.role) ? "the operator's own identity" : "role " + identity.role;
    }
}
