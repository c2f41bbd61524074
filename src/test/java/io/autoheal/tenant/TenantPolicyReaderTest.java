package io.autoheal.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Sandbox;
import io.autoheal.testing.SandboxClient;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reader against the real API server (no operator): the TenantPolicy CRD absent at start is NO_CRD (never an error
 * out of a pass); installed later it is noticed and its policies are read, a label-selected one from the namespace
 * informer (no GET); deleted again, NO_CRD again. The CRD is shared by every test of this API server: it is restored and
 * Established in finally.
 */
@Tag(SandboxTest.TAG)
class TenantPolicyReaderTest {
    static final String CRD = "crd/tenantpolicies.autoheal.io";
    static final String ROLE = "arn:aws:iam::222222222222:role/autoheal-reader-test";
    static final Duration NOTICED = ReadRetry.NO_CRD_RECHECK.plusSeconds(20);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("reader");

    static void installCrd() {
        Kubectl.run("apply", "--server-side", "--force-conflicts", "-f", Sandbox.root().resolve("crds").toString());
        Kubectl.awaitCrdsEstablished();
    }

    static void awaitState(TenantPolicyReader reader, TenantSnapshot.State state, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(reader.snapshot().state()).as(reader.snapshot().problem()).isEqualTo(state));
    }

    @Test
    void aCrdAbsentAtStartIsNoCrdThenInstalledItIsReadThenDeletedItIsNoCrdAgain() {
        long started = System.nanoTime();
        Kubectl.run("delete", CRD, "--ignore-not-found", "--wait=true", "--timeout=60s");
        TenantPolicyReader reader = new TenantPolicyReader(SandboxClient.get(), Clock.systemUTC());
        try {
            // asked at once: not read yet (a reader that listed first, on the caller's thread, would already say NO_CRD)
            assertThat(reader.snapshot().state()).isEqualTo(TenantSnapshot.State.SYNCING);
            awaitState(reader, TenantSnapshot.State.NO_CRD, Duration.ofSeconds(10));
            assertThat(reader.roleArn(ns.name())).as("no CRD: the operator's identity").isEmpty();

            installCrd();
            ns.kubectl("label", "namespace", ns.name(), "autoheal-reader-test=" + ns.name());
            Kubectl.Result r = Kubectl.exec("""
                    apiVersion: autoheal.io/v1alpha1
                    kind: TenantPolicy
                    metadata: {name: NS}
                    spec:
                      namespaceSelector: {matchLabels: {autoheal-reader-test: NS}}
                      aws: {roleArn: ROLE}
                    """.replace("NS", ns.name()).replace("ROLE", ROLE), "apply", "-f", "-");
            assertThat(r.ok()).as(r.output()).isTrue();
            await().atMost(NOTICED).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(reader.roleArn(ns.name())).as("the CRD installed later is noticed").contains(ROLE));
            assertThat(reader.snapshot().state()).isEqualTo(TenantSnapshot.State.SYNCED);
            assertThat(reader.roleArn("t-reader-unlabelled")).isEqualTo(Optional.empty());

            Kubectl.run("delete", CRD, "--wait=true", "--timeout=60s");
            awaitState(reader, TenantSnapshot.State.NO_CRD, NOTICED);
            assertThat(reader.roleArn(ns.name())).as("its policies went with the CRD").isEmpty();
        } finally {
            reader.stop();
            installCrd();
            System.out.printf("TenantPolicyReaderTest took %d s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
        }
    }
}
