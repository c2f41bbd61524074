package io.autoheal.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Groups;
import io.autoheal.testing.Kubectl;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The enforced mode against the real API server and moto: no TenantPolicy for the namespace, no AWS resource; one added, the cluster proceeds. */
@SandboxTest
@TestProfile(TenantPolicyEnforcedTest.Enforced.class)
class TenantPolicyEnforcedTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("tenant-enf").freshAws().deleteAfterEach("healingclusters");

    public static class Enforced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("autoheal.tenant-policy.mode", "enforced");
        }
    }

    @AfterEach
    void removePolicy() {
        Kubectl.exec(null, "delete", "tenantpolicy", ns.name(), "--ignore-not-found");
    }

    @Test
    void withoutPolicyNothingIsCreatedWithOneTheClusterProceeds() {
        ns.apply(ClusterManifest.named("web").toYaml());
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(ns.kubectl("get", "hc", "web", "-o", "jsonpath={.status.conditions[?(@.type==\"Degraded\")].message}"))
                    .isEqualTo("no TenantPolicy applies to namespace " + ns.name() + " and the tenant-policy mode is enforced");
        });
        // the pass that wrote this condition is the one that decided not to create the group
        assertThat(Groups.of(ns, "web")).as("no group in moto").isNull();

        Kubectl.Result r = Kubectl.exec("""
                apiVersion: autoheal.io/v1alpha1
                kind: TenantPolicy
                metadata: {name: NS}
                spec:
                  namespaces: [NS]
                """.replace("NS", ns.name()), "apply", "-f", "-");
        assertThat(r.ok()).as(r.output()).isTrue();
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> assertThat(Groups.of(ns, "web")).isNotNull());
    }
}
