package io.autoheal.deploy;

import static io.autoheal.deploy.Deployed.operatorCan;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Sandbox;
import io.autoheal.testing.TestNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** deploy/ against the real API server (RBAC on): it applies, and the ServiceAccount can do exactly what the operator needs. */
class DeployManifestsIT {
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("deploy-rbac");

    @BeforeAll
    static void install() {
        Kubectl.run("apply", "--server-side", "--force-conflicts", "-f", Sandbox.root().resolve("crds").toString());
        // A server-side dry run cannot create the namespace it then validates objects in: on a fresh cluster the
        // namespace goes first (deploy/README.md, "Install").
        Kubectl.run("apply", "-f", Sandbox.root().resolve("deploy/base/namespace.yaml").toString());
        String dryRun = Kubectl.run("apply", "-k", Sandbox.root().resolve(Deployed.OVERLAY).toString(), "--dry-run=server");
        assertThat(dryRun).contains("deployment.apps/autoheal-operator", "clusterrole.rbac.authorization.k8s.io/autoheal-operator",
                "validatingadmissionpolicy.admissionregistration.k8s.io/autoheal-tenant-safety");
        Deployed.install();
    }

    @Test
    void overlayCreatesTheOperatorObjects() {
        String objects = Kubectl.run("get", "namespace/autoheal-system", "serviceaccount/autoheal-operator", "deployment/autoheal-operator",
                "service/autoheal-operator-metrics", "configmap/autoheal-operator", "role/autoheal-operator-leader-election",
                "poddisruptionbudget/autoheal-operator", "-n", Deployed.NAMESPACE, "-o", "name");
        assertThat(objects.lines()).hasSize(7);
        assertThat(Kubectl.run("get", "deployment", "autoheal-operator", "-n", Deployed.NAMESPACE, "-o", "jsonpath={.spec.replicas}"))
                .isEqualTo("2");
        assertThat(Kubectl.run("get", "service", "autoheal-operator-metrics", "-n", Deployed.NAMESPACE,
                "-o", "jsonpath={.spec.ports[0].name}:{.spec.ports[0].port}")).isEqualTo("http-metrics:8080");
    }

    @Test
    void podIsHardened() {
        String c = ".spec.template.spec.containers[0]";
        String got = Kubectl.run("get", "deployment", "autoheal-operator", "-n", Deployed.NAMESPACE, "-o", "jsonpath="
                + "{.spec.template.spec.securityContext.runAsNonRoot} {.spec.template.spec.securityContext.runAsUser} "
                + "{" + c + ".securityContext.readOnlyRootFilesystem} {" + c + ".securityContext.allowPrivilegeEscalation} "
                + "{" + c + ".securityContext.capabilities.drop[0]} {" + c + ".securityContext.seccompProfile.type} "
                + "{" + c + ".volumeMounts[?(@.name==\"tmp\")].mountPath} {" + c + ".livenessProbe.httpGet.path} "
                + "{" + c + ".readinessProbe.httpGet.path} {" + c + ".resources.limits.memory} {" + c + ".resources.requests.cpu}");
        assertThat(got.split(" ")).containsExactly("true", "185", "true", "false", "ALL", "RuntimeDefault", "/tmp",
                "/q/health/live", "/q/health/ready", "384Mi", "200m");
        assertThat(Kubectl.run("get", "deployment", "autoheal-operator", "-n", Deployed.NAMESPACE, "-o",
                "jsonpath={" + c + ".env[?(@.name==\"JAVA_OPTS\")].value}")).contains("-XX:MaxRAMPercentage=");
    }

    @Test
    void noWildcardsInAnyRule() throws Exception {
        String rendered = Kubectl.run("kustomize", Sandbox.root().resolve(Deployed.OVERLAY).toString());
        assertThat(rendered).doesNotContainPattern("-\\s*['\"]?\\*['\"]?\\s*\\n").doesNotContainPattern("\\[\\s*['\"]?\\*");
        for (Path f : Files.list(Sandbox.root().resolve("deploy/base")).toList()) {
            assertThat(Files.readString(f)).as(f.toString()).doesNotContain("\"*\"").doesNotContain("'*'");
        }
    }

    @Test
    void serviceAccountCanDoWhatTheOperatorDoes() {
        String other = ns.name();
        assertThat(operatorCan("list", "healingclusters.autoheal.io", "-A")).isTrue();
        assertThat(operatorCan("watch", "elasticippools.autoheal.io", "-A")).isTrue();
        assertThat(operatorCan("patch", "healingclusters.autoheal.io", "--subresource=status", "-n", other)).isTrue();
        assertThat(operatorCan("patch", "elasticippools.autoheal.io", "--subresource=status", "-n", other)).isTrue();
        assertThat(operatorCan("update", "healingclusters.autoheal.io", "--subresource=finalizers", "-n", other)).isTrue();
        assertThat(operatorCan("create", "events.events.k8s.io", "-n", other)).isTrue();
        assertThat(operatorCan("update", "events.events.k8s.io", "-n", other)).isTrue();
        assertThat(operatorCan("create", "jobs.batch", "-n", other)).isTrue();
        assertThat(operatorCan("get", "jobs.batch", "-n", other)).isTrue();
        for (String published : java.util.List.of("services", "configmaps", "endpointslices.discovery.k8s.io")) { // discovery's informers
            assertThat(operatorCan("watch", published, "-A")).as("watch " + published).isTrue();
        }
        assertThat(operatorCan("create", "leases.coordination.k8s.io", "-n", Deployed.NAMESPACE)).isTrue();
        for (String verb : new String[] {"get", "update", "patch"}) {
            assertThat(operatorCan(verb, "leases.coordination.k8s.io/" + Deployed.LEASE, "-n", Deployed.NAMESPACE)).as(verb + " lease").isTrue();
        }
        assertThat(operatorCan("get", "secrets/autoheal-notifications", "-n", Deployed.NAMESPACE)).isTrue();
    }

    /** What io.autoheal.discovery does, done for real as the ServiceAccount: apply (create, then again), list, delete. */
    @Test
    void serviceAccountCanPublishDiscoveryObjects() throws Exception {
        Path kubeconfig = Deployed.serviceAccountKubeconfig();
        String objects = """
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: NS}
                spec: {ports: [{name: http, port: 80, protocol: TCP, targetPort: 80}]}
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: web-0
                  namespace: NS
                  labels: {kubernetes.io/service-name: web, endpointslice.kubernetes.io/managed-by: autoheal.io}
                addressType: IPv4
                ports: [{name: http, port: 80, protocol: TCP}]
                endpoints: [{addresses: [10.0.0.1], conditions: {ready: true}}]
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: web-members, namespace: NS}
                data: {members.json: "[]"}
                """.replace("NS", ns.name());
        for (int i = 0; i < 2; i++) {
            String out = asServiceAccount(kubeconfig, objects, "apply", "--server-side", "--field-manager=autoheal-operator", "-f", "-");
            assertThat(out).as("apply " + i).contains("service/web serverside-applied", "endpointslice.discovery.k8s.io/web-0 serverside-applied",
                    "configmap/web-members serverside-applied");
        }
        assertThat(asServiceAccount(kubeconfig, null, "get", "endpointslices", "-n", ns.name(), "-l", "kubernetes.io/service-name=web",
                "-o", "name")).contains("web-0");
        assertThat(asServiceAccount(kubeconfig, null, "get", "service/web", "configmap/web-members", "-n", ns.name(), "-o", "name"))
                .contains("service/web", "configmap/web-members");
        assertThat(asServiceAccount(kubeconfig, null, "delete", "service/web", "endpointslice/web-0", "configmap/web-members", "-n", ns.name()))
                .contains("deleted");
    }

    private static String asServiceAccount(Path kubeconfig, String stdin, String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(Path.of(Sandbox.get("SANDBOX_BIN"), "kubectl").toString()));
        command.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("kubectl " + String.join(" ", args) + ":\n" + out).isZero();
        return out;
    }

    @Test
    void serviceAccountCannotDoAnythingElse() {
        String other = ns.name();
        assertThat(operatorCan("list", "pods", "-A")).isFalse();
        assertThat(operatorCan("get", "pods", "-n", other)).isFalse();
        assertThat(operatorCan("get", "secrets/bootstrapper-credentials", "-n", other)).isFalse();
        assertThat(operatorCan("list", "secrets", "-n", Deployed.NAMESPACE)).isFalse();
        assertThat(operatorCan("get", "secrets/another-secret", "-n", Deployed.NAMESPACE)).isFalse();
        assertThat(operatorCan("update", "leases.coordination.k8s.io/someone-elses-lease", "-n", Deployed.NAMESPACE)).isFalse();
        assertThat(operatorCan("create", "leases.coordination.k8s.io", "-n", other)).isFalse();
        assertThat(operatorCan("delete", "healingclusters.autoheal.io", "-n", other)).isFalse();
        assertThat(operatorCan("create", "healingclusters.autoheal.io", "-n", other)).isFalse();
        assertThat(operatorCan("delete", "jobs.batch", "-n", other)).isFalse();
        assertThat(operatorCan("create", "events", "-n", other)).as("core/v1 events are not used").isFalse();
        assertThat(operatorCan("create", "customresourcedefinitions.apiextensions.k8s.io")).isFalse();
        assertThat(operatorCan("create", "deployments.apps", "-n", Deployed.NAMESPACE)).isFalse();
        assertThat(operatorCan("*", "*", "-A")).isFalse();
    }

    @Test
    void bootstrapCredentialsAreReadableOnlyWhereANamespaceAdminGrantedThem() throws Exception {
        String granted = ns.name();
        assertThat(operatorCan("get", "secrets/bootstrapper-credentials", "-n", granted)).isFalse();
        String binding = Files.readString(Sandbox.root().resolve("deploy/examples/bootstrap-credentials-rolebinding.yaml"))
                .replace("namespace: voip", "namespace: " + granted);
        Kubectl.Result r = Kubectl.exec(binding, "apply", "-f", "-");
        assertThat(r.ok()).as(r.output()).isTrue();
        assertThat(operatorCan("get", "secrets/bootstrapper-credentials", "-n", granted)).isTrue();
        assertThat(operatorCan("list", "secrets", "-n", granted)).as("get only").isFalse();
        assertThat(operatorCan("get", "secrets/bootstrapper-credentials", "-n", "default")).as("other namespaces stay closed").isFalse();
    }

    @Test
    void aServiceAccountTokenWorksAgainstTheRealApiServer() throws Exception {
        Path kubeconfig = Deployed.serviceAccountKubeconfig();
        ProcessBuilder pb = new ProcessBuilder(Path.of(Sandbox.get("SANDBOX_BIN"), "kubectl").toString(), "auth", "whoami", "-o",
                "jsonpath={.status.userInfo.username}").redirectErrorStream(true);
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        assertThat(out).isEqualTo(Deployed.USER);
    }
}
