package io.autoheal.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Groups;
import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reconciler's TenantPolicy check against the real API server (the policy read through the operator's informer)
 * and moto, in the default open mode: a namespace without a policy works as before; a policy tightened after the cluster
 * was admitted stops it (NotAllowedByTenantPolicy, a Warning Event) and nothing more is written to AWS.
 */
@SandboxTest
class TenantPolicyTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("tenant-rec").freshAws().deleteAfterEach("healingclusters");

    static String condition(String name, String type, String field) {
        return ns.kubectl("get", "hc", name, "-o", "jsonpath={.status.conditions[?(@.type==\"" + type + "\")]." + field + "}");
    }

    static void applyPolicy(String allow) {
        Kubectl.Result r = Kubectl.exec("""
                apiVersion: autoheal.io/v1alpha1
                kind: TenantPolicy
                metadata: {name: NS}
                spec:
                  namespaces: [NS]
                  allow: ALLOW
                """.replace("NS", ns.name()).replace("ALLOW", allow), "apply", "-f", "-");
        assertThat(r.ok()).as(r.output()).isTrue();
    }

    @AfterEach
    void removePolicy() {
        Kubectl.exec(null, "delete", "tenantpolicy", ns.name(), "--ignore-not-found");
    }

    @Test
    void aPolicyTightenedAfterCreationStopsEveryAwsWrite() {
        applyPolicy("{images: [\"ami-0123456789abcdef0\"], subnets: [\"subnet-*\"]}");
        ns.apply(ClusterManifest.named("web").toYaml());
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> assertThat(Groups.of(ns, "web")).isNotNull());
        await().atMost(WAIT).untilAsserted(() -> assertThat(condition("web", "Ready", "status")).isEqualTo("True"));

        applyPolicy("{images: [], subnets: [\"subnet-*\"]}"); // the administrator takes the image away
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(condition("web", "Degraded", "reason")).isEqualTo("NotAllowedByTenantPolicy");
            assertThat(condition("web", "Degraded", "message"))
                    .isEqualTo("spec.template.machine.imageId: ami-0123456789abcdef0 is not allowed by TenantPolicy " + ns.name()
                            + " (spec.allow.images)");
        });
        ns.awaitEvent("NotAllowedByTenantPolicy", " web: ");
        String patched = ns.kubectl("patch", "hc", "web", "--type=merge", "-p", "{\"spec\":{\"capacity\":{\"desired\":2,\"max\":2}}}",
                "-o", "jsonpath={.metadata.generation}").trim();
        // a pass has seen the scale-out (the condition names its generation) and refused it
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(condition("web", "Degraded", "observedGeneration")).isEqualTo(patched);
            assertThat(condition("web", "Degraded", "reason")).isEqualTo("NotAllowedByTenantPolicy");
        });
        assertThat(Groups.of(ns, "web").desiredCapacity()).as("the scale-out was not written to AWS").isEqualTo(1);
        assertThat(Groups.of(ns, "web").maxSize()).isEqualTo(1);

        applyPolicy("{images: [\"ami-*\"]}"); // widened: the cluster proceeds
        await().atMost(WAIT).untilAsserted(() -> assertThat(Groups.of(ns, "web").desiredCapacity()).isEqualTo(2));
    }

    @Test
    void openModeWithoutPolicyActsAsBefore() {
        ns.apply(ClusterManifest.named("free").toYaml());
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> assertThat(Groups.of(ns, "free")).isNotNull());
        assertThat(Moto.autoScaling().describeAutoScalingGroups().autoScalingGroups()).isNotEmpty();
    }
}
