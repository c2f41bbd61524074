package io.autoheal.deploy;

import static io.autoheal.deploy.Deployed.can;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Sandbox;
import io.autoheal.testing.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chart against the sandbox's real API server (RBAC on): the rendered objects pass a server-side dry run with
 * default and full values, then `helm install` creates every object, and the ServiceAccount may do exactly what the
 * operator does (`kubectl auth can-i`, as DeployManifestsIT does for the kustomize base). Installed under its own
 * names in a test namespace so that deploy/'s objects stay untouched. No kubelet runs here: the pods are not started,
 * the image reference is only rendered. The Prometheus Operator's CRDs are not in the sandbox, so the full values
 * are dry-run without ServiceMonitor and PrometheusRule (HelmChartTest renders them).
 */
class HelmInstallIT {
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("helm");
    static String name;
    static String user;

    static String[] names() {
        return new String[] {"--set", "fullnameOverride=" + name, "--set", "admissionPolicy.name=" + name + "-tenant-safety",
            "--set", "tenantPolicy.admissionName=" + name + "-tenant-policy"};
    }

    @BeforeAll
    static void install() {
        name = "autoheal-" + ns.name();
        user = "system:serviceaccount:" + ns.name() + ":" + name;
        Kubectl.run("apply", "--server-side", "--force-conflicts", "-f", Sandbox.root().resolve("crds").toString());
        Kubectl.awaitCrdsEstablished();
        Kubectl.Result dryRun = Kubectl.exec(Helm.template(ns.name(), names()), "apply", "--dry-run=server", "-f", "-");
        assertThat(dryRun.ok()).as(dryRun.output()).isTrue();
        assertThat(dryRun.output()).contains("deployment.apps/" + name + " created (server dry run)",
                "validatingadmissionpolicy.admissionregistration.k8s.io/" + name + "-tenant-safety created (server dry run)");
        String full = Helm.template(ns.name(), "-f", Helm.FULL_VALUES.toString(), "--set", "monitoring.serviceMonitor.enabled=false",
                "--set", "monitoring.prometheusRule.enabled=false", "--set", "fullnameOverride=" + name + "-full",
                "--set", "admissionPolicy.name=" + name + "-full-tenant-safety", "--set", "tenantPolicy.admissionName=" + name + "-full-tenant-policy");
        // full-values watches team-a and team-b: the chart binds the operator's rights in each (namespaced RoleBindings),
        // and the API server refuses objects in namespaces that do not exist, even in a dry run
        for (String watched : java.util.List.of("team-a", "team-b")) {
            Kubectl.exec("apiVersion: v1\nkind: Namespace\nmetadata: {name: " + watched + "}\n", "apply", "-f", "-");
        }
        Kubectl.Result fullDryRun = Kubectl.exec(full, "apply", "--dry-run=server", "-f", "-");
        assertThat(fullDryRun.ok()).as(fullDryRun.output()).isTrue();
        assertThat(fullDryRun.output()).contains("configmap/" + name + "-full-dashboard created (server dry run)");

        String installed = Helm.run(concat(new String[] {"install", "autoheal", Helm.CHART.toString(), "--namespace", ns.name()}, names()));
        assertThat(installed).contains("STATUS: deployed");
    }

    @AfterAll
    static void uninstall() {
        if (name != null) {
            Helm.exec("uninstall", "autoheal", "--namespace", ns.name(), "--wait");
        }
    }

    static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void helmInstallCreatesEveryObject() {
        String objects = Kubectl.run("get", "serviceaccount/" + name, "deployment/" + name, "service/" + name + "-metrics",
                "configmap/" + name, "role/" + name + "-leader-election", "rolebinding/" + name + "-leader-election",
                "role/" + name + "-notifications", "rolebinding/" + name + "-notifications", "poddisruptionbudget/" + name,
                "-n", ns.name(), "-o", "name");
        assertThat(objects.lines()).hasSize(9);
        String cluster = Kubectl.run("get", "clusterrole/" + name, "clusterrolebinding/" + name, "clusterrole/" + name + "-bootstrap-credentials",
                "validatingadmissionpolicy/" + name + "-tenant-safety", "validatingadmissionpolicybinding/" + name + "-tenant-safety",
                "clusterrole/" + name + "-tenant-policies", "clusterrolebinding/" + name + "-tenant-policies",
                "validatingadmissionpolicy/" + name + "-tenant-policy", "validatingadmissionpolicybinding/" + name + "-tenant-policy",
                "validatingadmissionpolicy/" + name + "-tenant-policy-overlap", "-o", "name");
        assertThat(cluster.lines()).hasSize(10);
        assertThat(Kubectl.run("get", "deployment", name, "-n", ns.name(), "-o",
                "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.serviceAccountName}"))
                .isEqualTo("2 ghcr.io/autoheal/autoheal-operator:0.1.0 " + name);
        assertThat(Kubectl.run("get", "configmap", name, "-n", ns.name(), "-o", "jsonpath={.data.AUTOHEAL_LEADER_ELECTION_LEASE_NAME} "
                + "{.data.AUTOHEAL_NOTIFICATIONS_WEBHOOK_SECRET} {.data.QUARKUS_LOG_CONSOLE_JSON_ENABLED}"))
                .isEqualTo(name + "-lease " + ns.name() + "/autoheal-notifications true");
        assertThat(Helm.run("list", "--namespace", ns.name())).contains("autoheal", "deployed");
    }

    @Test
    void serviceAccountCanDoWhatTheOperatorDoes() {
        String there = ns.name();
        assertThat(can(user, "list", "healingclusters.autoheal.io", "-A")).isTrue();
        assertThat(can(user, "watch", "elasticippools.autoheal.io", "-A")).isTrue();
        assertThat(can(user, "patch", "healingclusters.autoheal.io", "--subresource=status", "-n", "default")).isTrue();
        assertThat(can(user, "update", "elasticippools.autoheal.io", "--subresource=finalizers", "-n", "default")).isTrue();
        assertThat(can(user, "create", "events.events.k8s.io", "-n", "default")).isTrue();
        for (String published : java.util.List.of("services", "configmaps", "endpointslices.discovery.k8s.io")) { // discovery's informers
            assertThat(can(user, "watch", published, "-A")).as("watch " + published).isTrue();
        }
        assertThat(can(user, "create", "jobs.batch", "-n", "default")).isTrue();
        assertThat(can(user, "create", "leases.coordination.k8s.io", "-n", there)).isTrue();
        for (String verb : new String[] {"get", "update", "patch"}) {
            assertThat(can(user, verb, "leases.coordination.k8s.io/" + name + "-lease", "-n", there)).as(verb + " lease").isTrue();
        }
        assertThat(can(user, "get", "secrets/autoheal-notifications", "-n", there)).isTrue();
        assertThat(can(user, "watch", "tenantpolicies.autoheal.io")).as("TenantPolicies, read by informer").isTrue();
        assertThat(can(user, "watch", "namespaces")).as("namespace labels of namespaceSelector").isTrue();
        assertThat(can(user, "update", "tenantpolicies.autoheal.io")).isFalse();
    }

    @Test
    void serviceAccountCannotDoAnythingElse() {
        String there = ns.name();
        assertThat(can(user, "list", "pods", "-A")).isFalse();
        assertThat(can(user, "list", "secrets", "-n", there)).isFalse();
        assertThat(can(user, "get", "secrets/another-secret", "-n", there)).isFalse();
        assertThat(can(user, "get", "secrets/bootstrapper-credentials", "-n", "default")).isFalse();
        assertThat(can(user, "update", "leases.coordination.k8s.io/someone-elses-lease", "-n", there)).isFalse();
        assertThat(can(user, "create", "leases.coordination.k8s.io", "-n", "default")).isFalse();
        assertThat(can(user, "delete", "healingclusters.autoheal.io", "-n", "default")).isFalse();
        assertThat(can(user, "delete", "jobs.batch", "-n", "default")).isFalse();
        assertThat(can(user, "create", "events", "-n", "default")).isFalse();
        assertThat(can(user, "create", "customresourcedefinitions.apiextensions.k8s.io")).isFalse();
        assertThat(can(user, "*", "*", "-A")).isFalse();
    }
}
