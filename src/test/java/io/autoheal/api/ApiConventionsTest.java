package io.autoheal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.HealingClusterStatus;
import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Sandbox;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kubernetes API conventions of the CRDs, checked by the real kube-apiserver (no operator): the /scale subresource has
 * the label selector a HorizontalPodAutoscaler needs, and condition lists are maps keyed by type.
 */
@Tag(SandboxTest.TAG)
class ApiConventionsTest {
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("api-conv");

    @BeforeAll
    static void crds() {
        Kubectl.run("apply", "--server-side", "--force-conflicts", "-f", Sandbox.root().resolve("crds").toString());
        Kubectl.awaitCrdsEstablished();
        ns.apply(ApiValidationTest.VALID_CLUSTER.replace("NAME", "hpa"));
        ns.apply(ApiValidationTest.VALID_POOL.replace("NAME", "pool"));
    }

    @AfterAll
    static void removeResources() {
        // Nothing here needs the operator: drop the resources without waiting for finalizers it may have added.
        for (String name : new String[] {"hc/hpa", "eippool/pool"}) {
            Kubectl.exec(null, "patch", name, "-n", ns.name(), "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}");
            Kubectl.exec(null, "delete", name, "-n", ns.name(), "--wait=false");
        }
    }

    static Kubectl.Result patchStatus(String resource, String json) {
        return Kubectl.exec(null, "patch", resource, "-n", ns.name(), "--subresource=status", "--type=merge", "-p", json);
    }

    @Test
    void scaleSubresourceReportsTheSelectorAHorizontalPodAutoscalerNeeds() {
        String selector = HealingClusterStatus.selectorFor("hpa");
        Kubectl.Result r = patchStatus("hc/hpa", "{\"status\":{\"replicas\":2,\"selector\":\"" + selector + "\"}}");
        assertThat(r.ok()).as(r.output()).isTrue();
        assertThat(ns.kubectl("get", "hc", "hpa", "--subresource=scale", "-o", "jsonpath={.spec.replicas} {.status.selector}"))
                .isEqualTo("2 autoheal.io/cluster=hpa");
    }

    @Test
    void twoConditionsOfOneTypeAreRefused() {
        for (String resource : new String[] {"hc/hpa", "eippool/pool"}) {
            Kubectl.Result r = patchStatus(resource, "{\"status\":{\"conditions\":["
                    + "{\"type\":\"Ready\",\"status\":\"True\"},{\"type\":\"Ready\",\"status\":\"False\"}]}}");
            assertThat(r.ok()).as(resource).isFalse();
            assertThat(r.output()).as(resource).contains("status.conditions[1]", "Duplicate value");
            Kubectl.Result untyped = patchStatus(resource, "{\"status\":{\"conditions\":[{\"status\":\"True\"}]}}");
            assertThat(untyped.ok()).as(resource).isFalse();
            assertThat(untyped.output()).as(resource).contains("status.conditions[0].type: Required value");
        }
    }

    @Test
    void serverSideApplyMergesConditionsByType() {
        String applied = """
                {"apiVersion":"autoheal.io/v1alpha1","kind":"HealingCluster","metadata":{"name":"hpa"},
                 "status":{"conditions":[{"type":"%s","status":"True","reason":"Test","message":"m",
                 "lastTransitionTime":"2026-01-01T00:00:00Z"}]}}""";
        for (String[] managerAndType : new String[][] {{"one", "TestOne"}, {"two", "TestTwo"}}) {
            Kubectl.Result r = Kubectl.exec(applied.formatted(managerAndType[1]), "apply", "--server-side", "--subresource=status",
                    "--field-manager=" + managerAndType[0], "-n", ns.name(), "-f", "-");
            assertThat(r.ok()).as(r.output()).isTrue();
        }
        // an atomic list would hold only the last manager's condition
        assertThat(ns.kubectl("get", "hc", "hpa", "-o", "jsonpath={.status.conditions[*].type}").split(" ")).contains("TestOne", "TestTwo");
    }
}
