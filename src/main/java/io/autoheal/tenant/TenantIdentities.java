package io.autoheal.tenant;

import java.util.Optional;

/**
 * Port: which AWS identity a namespace's clusters and pools act with — its TenantPolicy's {@code spec.aws.roleArn}, or
 * the operator's own (empty: no policy, or a policy without a role).
 */
public interface TenantIdentities {
    /**
     * @throws TenantIdentityUnknown when it cannot be told yet (the policies are not read yet): acting with the
     *                               operator's own identity then could cross a tenant's boundary
     */
    Optional<String> roleArn(String namespace);

    /** The identities the source's snapshot gives ({@link TenantSnapshot#roleArn}): the rule TenantGate's snapshot also follows. */
    static TenantIdentities of(TenantPolicySource source) {
        return namespace -> source.snapshot().roleArn(namespace);
    }

    /** The namespace's identity cannot be told yet: its resources wait (they never fall back to the operator's own). */
    final class TenantIdentityUnknown extends RuntimeException {
        public TenantIdentityUnknown(String message) {
            super(message);
        }
    }
}
