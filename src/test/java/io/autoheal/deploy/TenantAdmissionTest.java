package io.autoheal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Sandbox;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TenantSafetyPolicy;
import io.autoheal.testing.TestNamespace;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The tenant-safety admission policy (deploy/base/admission-policy.yaml) on the real API server, with users
 * impersonated by kubectl --as. alice may edit HealingClusters and read Secret "other", nothing else; bob may also
 * create Jobs and read Secret "bootstrapper-credentials" (by name only, so the policy must ask about that name).
 * The manifests are the shipped examples. No operator runs here: this is admission alone.
 */
@Tag(SandboxTest.TAG)
class TenantAdmissionTest {
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("tenant");
    static final String SECRET = "bootstrapper-credentials";
    static String jobCluster;
    static String httpCluster;

    @BeforeAll
    static void install() throws IOException {
        Kubectl.run("apply", "--server-side", "--force-conflicts", "-f", Sandbox.root().resolve("crds").toString());
        TenantSafetyPolicy.bindTo(ns.name());
        jobCluster = Files.readString(Sandbox.root().resolve("examples/job-bootstrap.yaml"));
        String bootstrapped = Files.readString(Sandbox.root().resolve("examples/voip-cluster-bootstrapped.yaml"));
        httpCluster = bootstrapped.substring(bootstrapped.indexOf("apiVersion: autoheal.io")); // the cluster, not its Secret
        ns.apply("""
                apiVersion: v1
                kind: Secret
                metadata: {name: %s}
                stringData: {token: s3cret}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: cluster-editor}
                rules:
                  - apiGroups: [autoheal.io]
                    resources: [healingclusters]
                    verbs: [get, list, watch, create, update, patch, delete]
                  - apiGroups: [""]
                    resources: [secrets]
                    resourceNames: [other]
                    verbs: [get]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: bootstrap-runner}
                rules:
                  - apiGroups: [batch]
                    resources: [jobs]
                    verbs: [create]
                  - apiGroups: [""]
                    resources: [secrets]
                    resourceNames: [%s]
                    verbs: [get]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: editors}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: cluster-editor}
                subjects:
                  - {apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}
                  - {apiGroup: rbac.authorization.k8s.io, kind: User, name: bob}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: bootstrap-runners}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: bootstrap-runner}
                subjects:
                  - {apiGroup: rbac.authorization.k8s.io, kind: User, name: bob}
                """.formatted(SECRET, SECRET));
    }

    @AfterAll
    static void remove() {
        TenantSafetyPolicy.unbind(ns.name());
    }

    @AfterEach
    void clean() {
        ns.kubectl("delete", "healingclusters", "--all");
    }

    static Kubectl.Result as(String user, String stdin, String... args) {
        String[] all = new String[args.length + 3];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "-n";
        all[args.length + 1] = ns.name();
        all[args.length + 2] = "--as=" + user;
        return Kubectl.exec(stdin, all);
    }

    static boolean exists(String cluster) {
        return Kubectl.exec(null, "get", "healingcluster", cluster, "-n", ns.name()).ok();
    }

    @Test
    void aJobBootstrapNeedsTheRightToCreateJobs() {
        Kubectl.Result alice = as("alice", jobCluster, "apply", "-f", "-");
        assertThat(alice.ok()).as(alice.output()).isFalse();
        assertThat(alice.output()).contains("spec.bootstrap.job: alice may not create Jobs (batch) in namespace " + ns.name());
        assertThat(exists("workers")).isFalse();

        Kubectl.Result bob = as("bob", jobCluster, "apply", "-f", "-");
        assertThat(bob.ok()).as(bob.output()).isTrue();
        assertThat(exists("workers")).isTrue();
    }

    @Test
    void aDrainJobAndDrainCredentialsNeedTheSameRights() {
        String plain = httpCluster.replace("      credentialsSecretRef: {name: " + SECRET + "}\n", "");
        String drainJob = plain.stripTrailing() + "\n  drain:\n    job:\n      template: {spec: {template: {spec: {restartPolicy: Never,"
                + " containers: [{name: drain, image: busybox}]}}}}\n";
        Kubectl.Result alice = as("alice", drainJob, "apply", "-f", "-");
        assertThat(alice.ok()).as(alice.output()).isFalse();
        assertThat(alice.output()).contains("spec.drain.job: alice may not create Jobs (batch) in namespace " + ns.name());
        assertThat(as("bob", drainJob, "apply", "-f", "-").ok()).isTrue();

        String drainSecret = plain.replace("name: voip-bootstrapped", "name: drained").stripTrailing()
                + "\n  drain:\n    http: {url: \"http://bootstrapper.infra.svc:5000/ansible/role/\", statusUrl: "
                + "\"http://bootstrapper.infra.svc:5000/ansible/results/{jobId}\", credentialsSecretRef: {name: " + SECRET + "}}\n";
        Kubectl.Result secret = as("alice", drainSecret, "apply", "-f", "-");
        assertThat(secret.ok()).as(secret.output()).isFalse();
        assertThat(secret.output()).contains("spec.drain.http.credentialsSecretRef: alice may not get Secret " + ns.name() + "/" + SECRET);
    }

    @Test
    void credentialsNeedTheRightToReadThatSecret() {
        Kubectl.Result alice = as("alice", httpCluster, "apply", "-f", "-");
        assertThat(alice.ok()).as(alice.output()).isFalse();
        assertThat(alice.output()).contains("spec.bootstrap.http.credentialsSecretRef: alice may not get Secret " + ns.name() + "/" + SECRET);

        // the Secret alice may read is fine for her: the check is about that Secret, not Secrets in general
        Kubectl.Result other = as("alice", httpCluster.replace("{name: " + SECRET + "}", "{name: other}"), "apply", "-f", "-");
        assertThat(other.ok()).as(other.output()).isTrue();

        Kubectl.Result bob = as("bob", httpCluster.replace("name: voip-bootstrapped", "name: bobs"), "apply", "-f", "-");
        assertThat(bob.ok()).as(bob.output()).isTrue();
    }

    @Test
    void clustersWithoutThoseFieldsNeedNoMoreThanTheClusterRights() {
        String plain = httpCluster.replace("      credentialsSecretRef: {name: " + SECRET + "}\n", "");
        assertThat(plain).doesNotContain("credentialsSecretRef");
        Kubectl.Result alice = as("alice", plain, "apply", "-f", "-");
        assertThat(alice.ok()).as(alice.output()).isTrue();
    }

    /** UPDATE is checked only when a guarded field changes: others' clusters stay editable, the fields do not. */
    @Test
    void updatesAreCheckedOnlyWhenTheGuardedFieldsChange() {
        assertThat(as("bob", jobCluster, "apply", "-f", "-").ok()).isTrue();
        assertThat(as("bob", httpCluster, "apply", "-f", "-").ok()).isTrue();

        assertThat(patch("alice", "workers", "{\"spec\":{\"capacity\":{\"desired\":2}}}").ok()).as("unrelated edit").isTrue();
        assertThat(patch("alice", "voip-bootstrapped", "{\"spec\":{\"bootstrap\":{\"maxAttempts\":5}}}").ok()).as("unrelated edit").isTrue();

        Kubectl.Result template = patch("alice", "workers", "{\"spec\":{\"bootstrap\":{\"job\":{\"template\":{\"spec\":{\"backoffLimit\":3}}}}}}");
        assertThat(template.ok()).isFalse();
        assertThat(template.output()).contains("spec.bootstrap.job:");

        // the Secret's token goes to url and statusUrl: pointing them elsewhere is using the Secret
        Kubectl.Result url = patch("alice", "voip-bootstrapped", "{\"spec\":{\"bootstrap\":{\"http\":{\"url\":\"https://alice.example.com/x\"}}}}");
        assertThat(url.ok()).isFalse();
        assertThat(url.output()).contains("spec.bootstrap.http.credentialsSecretRef:");
        Kubectl.Result status = patch("alice", "voip-bootstrapped",
                "{\"spec\":{\"bootstrap\":{\"http\":{\"statusUrl\":\"https://alice.example.com/{jobId}\"}}}}");
        assertThat(status.ok()).isFalse();

        assertThat(patch("alice", "voip-bootstrapped", "{\"spec\":{\"bootstrap\":{\"http\":{\"credentialsSecretRef\":null}}}}").ok())
                .as("dropping the credentials asks for nothing").isTrue();
        assertThat(patch("bob", "voip-bootstrapped", "{\"spec\":{\"bootstrap\":{\"http\":{\"credentialsSecretRef\":{\"name\":\""
                + SECRET + "\"}}}}}").ok()).as("bob may put them back").isTrue();
    }

    static Kubectl.Result patch(String user, String cluster, String mergePatch) {
        return as(user, null, "patch", "healingcluster", cluster, "--type=merge", "-p", mergePatch);
    }
}
