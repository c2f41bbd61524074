package io.autoheal.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.config.ShardConfigSourceFactory;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Groups;
import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Sandbox;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The in-process operator (default open mode) with the TenantPolicy CRD deleted while it runs, as after a helm upgrade
 * that did not install the CRD: a new cluster gets its group (no pass fails), as before TenantPolicies existed. The CRD
 * is shared by every test of this API server: restored and Established in finally. The cluster is labelled for this
 * class's own shard, so no other test's operator acts on it.
 */
@SandboxTest
@TestProfile(TenantPolicyCrdAbsentTest.Shard.class)
class TenantPolicyCrdAbsentTest {
    static final String SHARD = "tenant-crd-absent";
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("tenant-nocrd").freshAws().deleteAfterEach("healingclusters");

    public static class Shard implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("autoheal.shard", SHARD);
        }
    }

    @Test
    void withoutTheCrdAClusterGetsItsGroupInTheOpenMode() {
        long started = System.nanoTime();
        Kubectl.run("delete", "crd/tenantpolicies.autoheal.io", "--wait=true", "--timeout=60s");
        try {
            ns.apply(ClusterManifest.named("free").label(ShardConfigSourceFactory.LABEL, SHARD).toYaml());
            await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(Groups.of(ns, "free")).isNotNull());
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(ns.kubectl("get", "hc", "free", "-o",
                    "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")).isEqualTo("True"));
        } finally {
            Kubectl.run("apply", "--server-side", "--force-conflicts", "-f", Sandbox.root().resolve("crds").toString());
            Kubectl.awaitCrdsEstablished();
            System.out.printf("TenantPolicyCrdAbsentTest took %d s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
        }
    }
}
