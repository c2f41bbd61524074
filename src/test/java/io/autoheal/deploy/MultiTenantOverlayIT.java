package io.autoheal.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Kubectl;
import io.autoheal.testing.OperatorProcess;
import io.autoheal.testing.Sandbox;
import io.autoheal.testing.TestNamespace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * deploy/overlays/multi-tenant (components namespaced-rbac and network-policy): the operator's rights exist only in
 * the watched namespaces, the packaged operator, run with nothing but that ServiceAccount's token, reconciles there,
 * and the API server accepts the NetworkPolicies with the overlay's values (the sandbox has no CNI to enforce them). The
 * rendered overlay is moved to namespaces of this test (autoheal-system, team-a, team-b replaced), so the
 * cluster-wide binding other tests install for autoheal-system cannot lend it rights.
 */
class MultiTenantOverlayIT {
    @RegisterExtension
    static TestNamespace watched = new TestNamespace("nsrbac-a");
    static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    static final String OPERATOR_NS = "t-nsrbac-op-" + SUFFIX;
    static final String SECOND = "t-nsrbac-b-" + SUFFIX;
    static final String USER = "system:serviceaccount:" + OPERATOR_NS + ":" + Deployed.SERVICE_ACCOUNT;
    static String rendered;

    @BeforeAll
    static void install() {
        Kubectl.run("apply", "--server-side", "--force-conflicts", "-f", Sandbox.root().resolve("crds").toString());
        Kubectl.run("create", "namespace", SECOND);
        rendered = Kubectl.run("kustomize", Sandbox.root().resolve("deploy/overlays/multi-tenant").toString())
                .replace("autoheal-system", OPERATOR_NS).replace("team-a", watched.name()).replace("team-b", SECOND);
        Kubectl.Result r = Kubectl.exec(rendered, "apply", "-f", "-");
        assertThat(r.ok()).as(r.output()).isTrue();
    }

    static boolean can(String... args) {
        return Deployed.can(USER, args);
    }

    @Test
    void theOverlayBindsNoClusterRoleAndWatchesItsNamespaces() {
        // the one ClusterRoleBinding left: read-only TenantPolicies and Namespaces (cluster-scoped, checked before AWS writes)
        assertThat(rendered.split("(?m)^---$")).filteredOn(d -> d.contains("kind: ClusterRoleBinding")).singleElement()
                .satisfies(d -> assertThat(d).contains("name: autoheal-operator-tenant-policies"));
        // kustomize does not know the admission kinds are cluster-scoped: the base must not stamp a namespace on them
        // (tenant safety, tenant policy and its overlap check: a policy and a binding each)
        assertThat(rendered.split("(?m)^---$")).filteredOn(d -> d.contains("kind: ValidatingAdmissionPolicy")).hasSize(6)
                .allSatisfy(d -> assertThat(d).doesNotContain("namespace:"));
        assertThat(Kubectl.run("get", "configmap", "autoheal-operator", "-n", OPERATOR_NS, "-o", "jsonpath={.data.AUTOHEAL_WATCH_NAMESPACES}"))
                .isEqualTo(watched.name() + "," + SECOND);
    }

    @Test
    void networkPoliciesCarryTheOverlaysValues() {
        String egress = Kubectl.run("get", "networkpolicy", "autoheal-operator-egress", "-n", OPERATOR_NS, "-o",
                "jsonpath={.spec.policyTypes} {.spec.egress[0].ports[0].port} {.spec.egress[1].to[0].ipBlock.cidr} "
                        + "{.spec.egress[2].to[0].ipBlock.cidr} {.spec.egress[3].to[0].ipBlock.cidr}");
        assertThat(egress).isEqualTo("[\"Egress\"] 53 10.0.32.0/24 10.0.48.0/24 10.0.64.0/24");
        String metrics = Kubectl.run("get", "networkpolicy", "autoheal-operator-metrics", "-n", OPERATOR_NS, "-o",
                "jsonpath={.spec.ingress[0].from[0].namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name} {.spec.ingress[0].ports[0].port}");
        assertThat(metrics).isEqualTo("monitoring http");
        assertThat(rendered).doesNotContain("VALUE_").doesNotContain("autoheal-network-values");
    }

    @Test
    void rightsExistOnlyInTheWatchedNamespaces() {
        for (String ns : new String[] {watched.name(), SECOND}) {
            assertThat(can("list", "healingclusters.autoheal.io", "-n", ns)).as(ns).isTrue();
            assertThat(can("watch", "elasticippools.autoheal.io", "-n", ns)).as(ns).isTrue();
            assertThat(can("patch", "healingclusters.autoheal.io", "--subresource=status", "-n", ns)).as(ns).isTrue();
            assertThat(can("create", "events.events.k8s.io", "-n", ns)).as(ns).isTrue();
            assertThat(can("create", "jobs.batch", "-n", ns)).as(ns).isTrue();
            assertThat(can("get", "secrets/bootstrapper-credentials", "-n", ns)).as("credentials stay opt-in per namespace").isFalse();
        }
        assertThat(can("list", "healingclusters.autoheal.io", "-A")).as("nothing cluster-wide").isFalse();
        assertThat(can("watch", "tenantpolicies.autoheal.io")).as("TenantPolicies: read").isTrue();
        assertThat(can("watch", "namespaces")).as("namespace labels: read").isTrue();
        assertThat(can("patch", "tenantpolicies.autoheal.io")).as("TenantPolicies: read only").isFalse();
        for (String verb : new String[] {"list", "watch", "patch"}) {
            assertThat(can(verb, "healingclusters.autoheal.io", "-n", "default")).as(verb + " in an unwatched namespace").isFalse();
        }
        assertThat(can("create", "jobs.batch", "-n", "default")).isFalse();
        assertThat(can("create", "events.events.k8s.io", "-n", "default")).isFalse();
        assertThat(can("create", "leases.coordination.k8s.io", "-n", OPERATOR_NS)).isTrue();
        assertThat(can("get", "secrets/autoheal-notifications", "-n", OPERATOR_NS)).isTrue();
    }

    @Test
    void thePackagedOperatorReconcilesWithOnlyTheseRights() throws Exception {
        Path kubeconfig = Deployed.serviceAccountKubeconfig(OPERATOR_NS);
        Map<String, String> env = new HashMap<>();
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("AUTOHEAL_WATCH_NAMESPACES", watched.name() + "," + SECOND);
        env.put("AUTOHEAL_LEADER_ELECTION_ENABLED", "true");
        env.put("AUTOHEAL_LEADER_ELECTION_LEASE_NAMESPACE", OPERATOR_NS);
        env.put("AUTOHEAL_NOTIFICATIONS_WEBHOOK_SECRET", OPERATOR_NS + "/autoheal-notifications");
        try (OperatorProcess op = OperatorProcess.start("namespaced", env)) {
            watched.apply(ClusterManifest.named("tenant").toYaml());
            await().ignoreExceptions().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(
                    watched.kubectl("get", "hc", "tenant", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"))
                    .as(op.log()).isEqualTo("True"));
            assertThat(op.log()).doesNotContain("Forbidden").doesNotContain(" 403");
            watched.kubectl("delete", "hc", "tenant", "--timeout=60s");
        }
    }
}
