package io.autoheal.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.AwsIdentityStatus;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterStatus;
import io.autoheal.fleet.AwsScope;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The guard around the record write: a write that meets a newer object decides again with what is stored. */
class TenantScopeGuardTest {
    static final String B = "arn:aws:iam::222222222222:role/autoheal-team-b";
    static final String C = "arn:aws:iam::333333333333:role/autoheal-team-c";
    static final AwsScope SCOPE_B = AwsScope.assumed("us-east-1", B, "team-b");

    /** Answers each write from a script: a conflict showing a stored identity (null: none), or written. */
    static final class ScriptedRecorder extends AwsIdentityRecorder {
        final Deque<Written> answers = new ArrayDeque<>();
        final List<AwsIdentityStatus> written = new ArrayList<>();

        ScriptedRecorder() {
            super(new KubernetesClientBuilder().build());
        }

        @Override
        public <T extends HasMetadata> Written write(T resource, AwsIdentityStatus identity, Function<T, AwsIdentityStatus> storedOf) {
            written.add(identity);
            Written w = answers.poll();
            return w != null ? w : new Written(true, identity);
        }
    }

    static final class Events extends EventRecorder {
        final List<Reason> normal = new ArrayList<>();

        Events() {
            super(new KubernetesClientBuilder().build(), java.time.Clock.systemUTC());
        }

        @Override
        public void normal(HasMetadata target, Reason reason, String action, String message) {
            normal.add(reason);
        }
    }

    final ScriptedRecorder recorder = new ScriptedRecorder();
    final Events events = new Events();
    final TenantScopeGuard guard = new TenantScopeGuard(recorder, events);
    final List<AwsIdentityStatus> kept = new ArrayList<>();

    static HealingCluster cluster(AwsIdentityStatus recorded, Map<String, String> annotations) {
        HealingCluster hc = new HealingCluster();
        hc.setMetadata(new ObjectMetaBuilder().withName("c").withNamespace("team-b").withResourceVersion("7").withAnnotations(annotations).build());
        hc.setStatus(new HealingClusterStatus());
        hc.getStatus().awsIdentity = recorded;
        return hc;
    }

    java.util.Optional<String> admit(HealingCluster hc) {
        return guard.admit(hc, "HealingCluster", SCOPE_B, h -> h.getStatus().awsIdentity, kept::add);
    }

    @Test
    void aStaleCacheWithoutRecordDoesNotOverwriteTheStoredOne() {
        recorder.answers.add(new AwsIdentityRecorder.Written(false, new AwsIdentityStatus(C, "333333333333")));
        assertThat(admit(cluster(null, Map.of()))).get().asString().contains(C).contains(B);
        assertThat(recorder.written).as("one attempt, then decided on what is stored").hasSize(1);
        assertThat(kept).isEmpty();
    }

    @Test
    void aConflictWithNothingStoredWritesAgain() {
        recorder.answers.add(new AwsIdentityRecorder.Written(false, null));
        assertThat(admit(cluster(null, Map.of()))).isEmpty();
        assertThat(recorder.written).hasSize(2);
        assertThat(kept).containsExactly(new AwsIdentityStatus(B, "222222222222"));
        assertThat(events.normal).isEmpty();
    }

    @Test
    void theSameIdentityWritesNothingAndAnAcceptedOneIsRecordedWithAnEvent() {
        assertThat(admit(cluster(new AwsIdentityStatus(B, "222222222222"), Map.of()))).isEmpty();
        assertThat(recorder.written).isEmpty();

        assertThat(admit(cluster(new AwsIdentityStatus(C, "333333333333"), Map.of(ScopeChange.ACCEPT_ANNOTATION, B)))).isEmpty();
        assertThat(recorder.written).containsExactly(new AwsIdentityStatus(B, "222222222222"));
        assertThat(events.normal).containsExactly(Reason.TenantScopeAccepted);
    }

    @Test
    void theDeletionScopeIsTheRecordedOneUnlessAccepted() {
        HealingCluster moved = cluster(new AwsIdentityStatus(C, "333333333333"), Map.of());
        assertThat(guard.forDeletion(moved, moved.getStatus().awsIdentity, "us-east-1", () -> SCOPE_B))
                .isEqualTo(AwsScope.assumed("us-east-1", C, "team-b"));
        assertThat(guard.forDeletion(moved, moved.getStatus().awsIdentity, "us-east-1", () -> {
            throw new io.autoheal.fleet.CloudFailure(io.autoheal.fleet.CloudFailure.Kind.UNREACHABLE, Reason.TenantRoleNotAssumed,
                    "AssumeRole", "", 0, null, "not read yet", "not read yet", null);
        })).as("the namespace's identity cannot be told: the recorded one").isEqualTo(AwsScope.assumed("us-east-1", C, "team-b"));
        HealingCluster accepted = cluster(new AwsIdentityStatus(C, "333333333333"), Map.of(ScopeChange.ACCEPT_ANNOTATION, B));
        assertThat(guard.forDeletion(accepted, accepted.getStatus().awsIdentity, "us-east-1", () -> SCOPE_B)).isEqualTo(SCOPE_B);
        assertThat(guard.forDeletion(cluster(null, Map.of()), null, "us-east-1", () -> SCOPE_B)).as("nothing recorded").isEqualTo(SCOPE_B);
    }

    @Test
    void thePatchCarriesThePreconditionAndRemovesAnAbsentAccount() {
        assertThat(AwsIdentityRecorder.patch("7", new AwsIdentityStatus(AwsIdentityStatus.OPERATOR, null)))
                .isEqualTo("{\"metadata\":{\"resourceVersion\":\"7\"},\"status\":{\"awsIdentity\":{\"role\":\"operator\",\"account\":null}}}");
    }
}
