package io.autoheal.tenant;

import io.autoheal.api.v1alpha1.TenantPolicy;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the operator knows of the TenantPolicies at one moment, immutable: whether their CRD exists, whether they are
 * read, and if so every policy and every namespace's labels. A pass decides from one snapshot, so the TenantPolicy
 * check ({@link TenantGate}) and the AWS identity ({@link AwsScopes}) never disagree on what was read.
 *
 * @param since   when the reader entered this state (a wait is said only once it lasts)
 * @param problem why the policies are not read (SYNCING), empty otherwise
 */
public record TenantSnapshot(State state, List<TenantPolicy> policies, Map<String, Map<String, String>> namespaceLabels,
                             Instant since, String problem) {

    public enum State {
        /** The TenantPolicy CRD is not installed: there are no policies, as before TenantPolicies existed. */
        NO_CRD,
        /** Not read yet (starting, or the list/watch fails): who may do what, with which identity, is unknown. */
        SYNCING,
        /** Policies and namespace labels read, kept current by watches. */
        SYNCED
    }

    public TenantSnapshot {
        policies = List.copyOf(policies);
        namespaceLabels = Map.copyOf(namespaceLabels);
        problem = problem == null ? "" : problem;
    }

    public static TenantSnapshot noCrd(Instant since) {
        return new TenantSnapshot(State.NO_CRD, List.of(), Map.of(), since, "");
    }

    public static TenantSnapshot syncing(Instant since, String problem) {
        return new TenantSnapshot(State.SYNCING, List.of(), Map.of(), since, problem);
    }

    public static TenantSnapshot synced(Collection<TenantPolicy> policies, Map<String, Map<String, String>> labels, Instant since) {
        return new TenantSnapshot(State.SYNCED, List.copyOf(policies), labels, since, "");
    }

    /** The policies that apply to the namespace (none without the CRD); only meaningful when not SYNCING. */
    public ApplicablePolicy applicable(String namespace) {
        return ApplicablePolicy.of(policies.stream().filter(p -> p.getSpec() != null).toList(), namespace,
                namespaceLabels.getOrDefault(namespace, Map.of()));
    }

    /**
     * The namespace's AWS role: its one policy's spec.aws.roleArn; empty (the operator's own identity) for no policy,
     * a policy without a role, or no CRD (no policy can exist).
     *
     * @throws TenantIdentities.TenantIdentityUnknown while SYNCING (a role may exist) or when several policies apply
     */
    public Optional<String> roleArn(String namespace) {
        if (state == State.NO_CRD) {
            return Optional.empty();
        }
        if (state == State.SYNCING) {
            throw new TenantIdentities.TenantIdentityUnknown(notRead(namespace));
        }
        ApplicablePolicy applying = applicable(namespace);
        if (applying.several()) {
            throw new TenantIdentities.TenantIdentityUnknown("several TenantPolicies apply to namespace " + namespace + " ("
                    + String.join(", ", applying.names()) + "): none is used");
        }
        return applying.policies().stream().findFirst().map(p -> p.getSpec().aws == null ? null : p.getSpec().aws.roleArn)
                .filter(r -> !r.isBlank());
    }

    /** Why a namespace's resources wait while SYNCING. */
    String notRead(String namespace) {
        return "the TenantPolicies are not read yet (list/watch tenantpolicies.autoheal.io and namespaces"
                + (problem.isEmpty() ? "" : ": " + problem) + "): namespace " + namespace
                + " waits rather than act with the operator's own AWS identity";
    }
}
