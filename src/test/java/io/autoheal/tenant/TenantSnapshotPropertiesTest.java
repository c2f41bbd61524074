package io.autoheal.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.TenantPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The gate and the identity read the same snapshot and never disagree: whatever the policies, the state and the mode,
 * a namespace the gate lets act has a known identity; while not read, the gate waits and the identity is unknown; without
 * the CRD the identity is the operator's own.
 */
class TenantSnapshotPropertiesTest {
    static final List<String> NAMESPACES = List.of("a", "b", "c", "d");

    @Property(tries = 500)
    void theGateAndTheIdentityAgree(@ForAll("snapshots") TenantSnapshot snapshot, @ForAll TenantMode mode, @ForAll("namespaces") String ns) {
        TenantVerdict verdict = TenantVerdict.decide(mode, snapshot, ns, allow -> List.of());
        Optional<Optional<String>> identity;
        try {
            identity = Optional.of(snapshot.roleArn(ns));
        } catch (TenantIdentities.TenantIdentityUnknown e) {
            identity = Optional.empty();
        }
        if (verdict.allowed()) {
            assertThat(identity).as("allowed, so its identity is known").isPresent();
        }
        switch (snapshot.state()) {
            case SYNCING -> {
                assertThat(verdict.waiting()).isTrue();
                assertThat(identity).as("never the operator's identity while not read").isEmpty();
            }
            case NO_CRD -> {
                assertThat(verdict.allowed()).isEqualTo(mode == TenantMode.open);
                assertThat(identity).contains(Optional.empty());
            }
            case SYNCED -> {
                assertThat(verdict.waiting()).isFalse();
                int applying = snapshot.applicable(ns).policies().size();
                assertThat(identity.isPresent()).as("known unless several policies apply").isEqualTo(applying <= 1);
                assertThat(verdict.allowed()).isEqualTo(applying == 1 || applying == 0 && mode == TenantMode.open);
            }
        }
    }

    @Provide
    Arbitrary<String> namespaces() {
        return Arbitraries.of(NAMESPACES);
    }

    @Provide
    Arbitrary<TenantSnapshot> snapshots() {
        Arbitrary<TenantPolicy> policy = Combinators.combine(Arbitraries.integers().between(0, 999),
                        Arbitraries.of(NAMESPACES).list().uniqueElements().ofMaxSize(2),
                        Arbitraries.of("x", "y").injectNull(0.5), Arbitraries.of("arn:aws:iam::222222222222:role/r").injectNull(0.5))
                .as((n, names, label, role) -> TenantSnapshotTest.policy("p" + n, names, label == null ? null : Map.of("tier", label), role));
        Arbitrary<Map<String, Map<String, String>>> labels = Arbitraries.maps(Arbitraries.of(NAMESPACES),
                Arbitraries.of("x", "y").map(v -> Map.of("tier", v))).ofMaxSize(4);
        Arbitrary<TenantSnapshot> synced = Combinators.combine(policy.list().ofMaxSize(4).uniqueElements(p -> p.getMetadata().getName()), labels)
                .as((ps, ls) -> TenantSnapshot.synced(ps, ls, Instant.EPOCH));
        return Arbitraries.oneOf(synced, Arbitraries.just(TenantSnapshot.noCrd(Instant.EPOCH)),
                Arbitraries.just(TenantSnapshot.syncing(Instant.EPOCH, "watch failed")));
    }
}
