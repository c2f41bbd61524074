package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The AWS identity a resource's AWS resources live in, recorded before the operator's first AWS write for it: a later
 * change of the namespace's identity (TenantPolicy deleted, renamed, re-labelled, roleArn edited) must not make the
 * operator build a second fleet in another account (tenant.ScopeChange).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AwsIdentityStatus {
    /** The {@link #role} of the operator's own identity (its credentials chain, no TenantPolicy role). */
    public static final String OPERATOR = "operator";

    @JsonPropertyDescription("The IAM role ARN the operator acts with for this resource (its namespace's TenantPolicy "
            + "spec.aws.roleArn when it was recorded), or \"operator\" for the operator's own identity. While the namespace's "
            + "identity differs from it, the operator makes no AWS call for this resource (reason TenantScopeChanged) until the "
            + "policy is restored or the annotation autoheal.io/accept-aws-identity names the new identity.")
    public String role;

    @JsonPropertyDescription("The AWS account of role (from its ARN); absent for the operator's own identity, whose account is not read.")
    public String account;

    public AwsIdentityStatus() {
    }

    public AwsIdentityStatus(String role, String account) {
        this.role = role;
        this.account = account;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AwsIdentityStatus other && java.util.Objects.equals(role, other.role) && java.util.Objects.equals(account, other.account);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(role, account);
    }

    @Override
    public String toString() {
        return account == null ? role : role + " (account " + account + ")";
    }
}
