package io.autoheal.tenant;

import io.autoheal.api.v1alpha1.AwsIdentityStatus;
import io.autoheal.fleet.AwsScope;
import io.autoheal.fleet.CloudFailure;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import io.fabric8.kubernetes.api.model.HasMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Applies {@link ScopeChange} to a cluster or pool before any AWS call of a pass: records the identity first (written to
 * the API server before the AWS writes), or says why the pass must make none. A deletion acts with the recorded identity.
 */
@ApplicationScoped
public class TenantScopeGuard {
    /** Decisions in a row whose record write met a newer object before the pass gives up (the exception ends it). */
    static final int MAX_ATTEMPTS = 3;
    private final AwsIdentityRecorder recorder;
    private final EventRecorder events;

    public TenantScopeGuard(AwsIdentityRecorder recorder, EventRecorder events) {
        this.recorder = recorder;
        this.events = events;
    }

    /**
     * @param kind       HealingCluster or ElasticIpPool (for messages)
     * @param resolved   the scope the namespace resolves to now
     * @param recordedOf the resource's status.awsIdentity (null when none)
     * @param keep       takes the identity once it is written (the pass's own status carries it on)
     * @return empty: act with {@code resolved}; else why no AWS call may be made (reason TenantScopeChanged)
     */
    public <T extends HasMetadata> Optional<String> admit(T resource, String kind, AwsScope resolved, Function<T, AwsIdentityStatus> recordedOf,
                                                          Consumer<AwsIdentityStatus> keep) {
        AwsIdentityStatus wanted = ScopeChange.identityOf(resolved);
        AwsIdentityStatus recorded = recordedOf.apply(resource);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            ScopeChange.Verdict verdict = ScopeChange.decide(recorded, wanted, accepted(resource));
            switch (verdict) {
                case SAME:
                    return Optional.empty();
                case CHANGED:
                    return Optional.of(ScopeChange.changedMessage(kind, recorded, wanted));
                default:
                    AwsIdentityRecorder.Written w = recorder.write(resource, wanted, recordedOf);
                    if (w.written()) {
                        keep.accept(wanted);
                        if (verdict == ScopeChange.Verdict.ACCEPT) {
                            events.normal(resource, Reason.TenantScopeAccepted, "Validate", "Moved from " + ScopeChange.describe(recorded)
                                    + " to " + ScopeChange.describe(wanted) + " as " + ScopeChange.ACCEPT_ANNOTATION + " accepts; what was made"
                                    + " with the old identity and is not visible to the new one is no longer managed (docs/runbook.md)");
                        }
                        return Optional.empty();
                    }
                    recorded = w.stored(); // the cache was behind: decide again with what is stored
            }
        }
        throw new IllegalStateException("status.awsIdentity of " + kind + " " + resource.getMetadata().getName()
                + " kept changing under the operator's writes; the next pass tries again");
    }

    /**
     * The scope a deletion acts with: the recorded identity's (where the resources are), unless nothing is recorded or
     * the annotation accepts the identity resolved now. A namespace whose identity cannot be resolved now still deletes
     * with the recorded one.
     */
    public AwsScope forDeletion(HasMetadata resource, AwsIdentityStatus recorded, String region, Supplier<AwsScope> resolve) {
        if (recorded == null || recorded.role == null || recorded.role.isBlank()) {
            return resolve.get();
        }
        try {
            AwsScope now = resolve.get();
            ScopeChange.Verdict verdict = ScopeChange.decide(recorded, ScopeChange.identityOf(now), accepted(resource));
            if (verdict == ScopeChange.Verdict.SAME || verdict == ScopeChange.Verdict.ACCEPT) {
                return now;
            }
        } catch (CloudFailure unresolved) {
            // the namespace's identity cannot be told now: the recorded one is where the resources are
        }
        return ScopeChange.scopeOf(recorded, region, resource.getMetadata().getNamespace());
    }

    private static String accepted(HasMetadata resource) {
        var annotations = resource.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(ScopeChange.ACCEPT_ANNOTATION);
    }
}
