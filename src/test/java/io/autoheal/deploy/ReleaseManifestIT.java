package io.autoheal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * `make release` (scripts/release.sh) and its dist/autoheal-operator.yaml applied as the README says, to the sandbox's
 * real API server: CRDs, namespace, RBAC, Deployment with the project version's image. It installs under the base's own
 * names (autoheal-system), so the sandbox overlay that the other deploy tests expect is applied again afterwards.
 */
class ReleaseManifestIT {
    static final Path MANIFEST = Sandbox.root().resolve("dist/autoheal-operator.yaml");
    static String version;

    @BeforeAll
    static void release() throws Exception {
        version = ImageIT.run(Sandbox.root(), "bash", "-c", "sed -n 's:^  <version>\\(.*\\)</version>:\\1:p' pom.xml | head -1").trim();
        String out = ImageIT.run(Sandbox.root(), "bash", "scripts/release.sh");
        assertThat(out).contains("release: dist/autoheal-operator.yaml");
        assertThat(Sandbox.root().resolve("dist/autoheal-operator-" + version + ".tgz")).isRegularFile();
    }

    @AfterAll
    static void restoreTheSandboxOverlay() {
        Deployed.install();
    }

    @Test
    void theManifestHoldsEverythingInOneFile() throws Exception {
        java.util.Set<String> kinds = new java.util.TreeSet<>();
        java.util.Set<String> keys = new java.util.TreeSet<>();
        for (var o : Helm.objects(Files.readString(MANIFEST))) {
            kinds.add(o.path("kind").asText());
            keys.add(Helm.key(o));
        }
        assertThat(kinds).contains("CustomResourceDefinition", "Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
                "RoleBinding", "ConfigMap", "Deployment", "Service", "PodDisruptionBudget", "ValidatingAdmissionPolicy");
        assertThat(keys).contains("CustomResourceDefinition/healingclusters.autoheal.io", "CustomResourceDefinition/elasticippools.autoheal.io",
                "CustomResourceDefinition/tenantpolicies.autoheal.io",
                "Namespace/autoheal-system", "Deployment/autoheal-operator");
        assertThat(Files.readString(MANIFEST)).contains("image: ghcr.io/autoheal/autoheal-operator:" + version);
        // the chart packaged alongside carries the same version
        assertThat(Helm.run("show", "chart", Sandbox.root().resolve("dist/autoheal-operator-" + version + ".tgz").toString()))
                .contains("version: " + version, "appVersion: " + version);
    }

    @Test
    void appliesToTheApiServerAsTheReadmeSays() {
        // as the README says, on whatever the cluster has (a server-side dry run first would fail on a fresh cluster:
        // it cannot create the namespace it then validates objects in)
        Kubectl.Result applied = Kubectl.exec(null, "apply", "--server-side", "--force-conflicts", "-f", MANIFEST.toString());
        assertThat(applied.ok()).as(applied.output()).isTrue();
        assertThat(applied.output()).contains("customresourcedefinition.apiextensions.k8s.io/healingclusters.autoheal.io serverside-applied",
                "namespace/autoheal-system serverside-applied", "deployment.apps/autoheal-operator serverside-applied");
        Kubectl.Result again = Kubectl.exec(null, "apply", "--server-side", "--force-conflicts", "--dry-run=server", "-f", MANIFEST.toString());
        assertThat(again.ok()).as("applying it again: " + again.output()).isTrue();
        assertThat(Kubectl.run("get", "deployment", "autoheal-operator", "-n", Deployed.NAMESPACE, "-o",
                "jsonpath={.spec.template.spec.containers[0].image}")).isEqualTo("ghcr.io/autoheal/autoheal-operator:" + version);
        assertThat(Deployed.operatorCan("list", "healingclusters.autoheal.io", "-A")).isTrue();
        assertThat(Deployed.operatorCan("list", "pods", "-A")).isFalse();
    }
}
