package io.autoheal.tenant;

import io.autoheal.config.OperatorConfig;
import io.autoheal.fleet.AwsScope;
import io.autoheal.fleet.CloudFailure;
import io.autoheal.kube.Reason;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The one rule for where a cluster's or a pool's AWS calls go: its region (spec.region, else the operator's), with its
 * namespace's TenantPolicy role when there is one, else the operator's own identity. A role that cannot be used is
 * that resource's problem ({@link Reason#TenantRoleNotAssumed}): never a silent fall-back to the operator's identity.
 */
@ApplicationScoped
public class AwsScopes {
    private final TenantIdentities identities;
    private final String defaultRegion;

    @jakarta.inject.Inject
    public AwsScopes(TenantIdentities identities, OperatorConfig config) {
        this(identities, config.region());
    }

    public AwsScopes(TenantIdentities identities, String defaultRegion) {
        this.identities = identities;
        this.defaultRegion = defaultRegion;
    }

    /**
     * @param specRegion the resource's spec.region, null for the operator's region
     * @throws CloudFailure (reason TenantRoleNotAssumed) when the namespace's role is not a role ARN or not known yet
     */
    public AwsScope of(String namespace, String specRegion) {
        String region = region(specRegion);
        Optional<String> role;
        try {
            role = identities.roleArn(namespace);
        } catch (TenantIdentities.TenantIdentityUnknown e) {
            throw refused(e.getMessage(), CloudFailure.Kind.UNREACHABLE);
        }
        if (role.isEmpty()) {
            return AwsScope.own(region);
        }
        if (!AwsScope.validRoleArn(role.get())) {
            throw refused("the TenantPolicy of namespace " + namespace + " names " + role.get()
                    + " in spec.aws.roleArn, which is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)", CloudFailure.Kind.REFUSED);
        }
        return AwsScope.assumed(region, role.get(), namespace);
    }

    /** The region a resource names, or the operator's. */
    public String region(String specRegion) {
        return specRegion != null ? specRegion : defaultRegion;
    }

    private static CloudFailure refused(String message, CloudFailure.Kind kind) {
        return new CloudFailure(kind, Reason.TenantRoleNotAssumed, "AssumeRole", "", 0, null, message, message, null);
    }
}
