package io.autoheal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Sandbox;
import io.autoheal.testing.SandboxTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart with the real helm CLI, no API server: lint, the values schema refusing typos, rendering with default
 * and full values, and no drift from what it copies — crds/, the monitoring files, and the kustomize base, whose
 * objects the default values must reproduce (RBAC rules, settings, pod spec). HelmInstallIT installs it.
 */
@Tag(SandboxTest.TAG)
class HelmChartTest {
    static final String NS = "autoheal-system";

    @Test
    void lintsCleanWithDefaultAndFullValues() {
        assertThat(Helm.run("lint", "--strict", Helm.CHART.toString())).contains("0 chart(s) failed");
        assertThat(Helm.run("lint", "--strict", Helm.CHART.toString(), "-f", Helm.FULL_VALUES.toString())).contains("0 chart(s) failed");
    }

    @Test
    void theValuesSchemaRefusesTyposAndBadValues() {
        Map<String, String> refused = Map.of(
                "replicas=3", "additional properties 'replicas' not allowed",
                "region=Ireland", "region",
                "resyncInterval=30", "resyncInterval",
                "serviceAccount.roleArn=my-role", "roleArn",
                "logs.jason=true", "additional properties 'jason' not allowed",
                "installationId=Production_1", "installationId");
        refused.forEach((set, message) -> {
            Kubectl.Result r = Helm.exec("template", "autoheal", Helm.CHART.toString(), "--set", set);
            assertThat(r.ok()).as(set).isFalse();
            assertThat(r.output()).as(set).contains("values don't meet the specifications of the schema").contains(message);
        });
    }

    /** Two replicas without a Lease would both reconcile: refused by the schema, at helm template/install/lint. */
    @Test
    void moreThanOneReplicaNeedsLeaderElection() {
        Kubectl.Result r = Helm.exec("template", "autoheal", Helm.CHART.toString(), "--set", "replicaCount=2", "--set", "leaderElection.enabled=false");
        assertThat(r.ok()).isFalse();
        assertThat(r.output()).contains("values don't meet the specifications of the schema").contains("replicaCount");
        Kubectl.Result lint = Helm.exec("lint", Helm.CHART.toString(), "--set", "replicaCount=2", "--set", "leaderElection.enabled=false");
        assertThat(lint.ok()).isFalse();
        assertThat(Helm.exec("template", "autoheal", Helm.CHART.toString(), "--set", "replicaCount=1", "--set", "leaderElection.enabled=false").ok())
                .isTrue();
        assertThat(Helm.exec("template", "autoheal", Helm.CHART.toString(), "--set", "replicaCount=3").ok()).isTrue();
    }

    @Test
    void chartCopiesAreTheFilesTheyCopy() throws IOException {
        for (String crd : List.of("healingclusters.autoheal.io-v1.yml", "elasticippools.autoheal.io-v1.yml", "tenantpolicies.autoheal.io-v1.yml")) {
            assertThat(Helm.CHART.resolve("crds").resolve(crd)).as("chart crds/ from crds/ (cp crds/*.yml deploy/helm/autoheal-operator/crds/)")
                    .hasSameTextualContentAs(Sandbox.root().resolve("crds").resolve(crd));
        }
        try (var files = Files.list(Helm.CHART.resolve("crds"))) {
            assertThat(files.count()).isEqualTo(3);
        }
        for (String file : List.of("prometheusrule.yaml", "dashboard.json")) {
            assertThat(Helm.CHART.resolve("files").resolve(file)).as("chart files/ from deploy/monitoring/")
                    .hasSameTextualContentAs(Sandbox.root().resolve("deploy/monitoring").resolve(file));
        }
    }

    @Test
    void defaultValuesRenderTheKustomizeBase() throws IOException {
        Map<String, ObjectNode> chart = byKey(Helm.objects(Helm.template(NS)));
        Map<String, ObjectNode> base = byKey(Helm.objects(Kubectl.run("kustomize", Sandbox.root().resolve("deploy/base").toString())));
        base.remove("Namespace/" + NS); // helm install --create-namespace (or the namespace exists); the release manifest has it
        // Only Helm can make a random token that survives upgrades; kustomize users create the Secret (deploy/README.md).
        assertThat(chart.remove("Secret/autoheal-sd-token")).isNotNull();
        assertThat(chart.keySet()).isEqualTo(base.keySet());
        for (String key : base.keySet()) {
            ObjectNode fromBase = base.get(key);
            ObjectNode fromChart = chart.get(key);
            assertThat(labels(fromChart)).as(key + " labels").containsAllEntriesOf(labels(fromBase));
            assertThat(normalized(fromChart)).as(key).isEqualTo(normalized(fromBase));
        }
    }

    @Test
    void fullValuesReachTheObjects() throws IOException {
        Map<String, ObjectNode> objects = byKey(Helm.objects(Helm.template("platform", "-f", Helm.FULL_VALUES.toString())));
        String name = "autoheal-shard-a";
        assertThat(objects.keySet()).contains("ServiceMonitor/" + name, "PrometheusRule/" + name, "ConfigMap/" + name + "-dashboard",
                "ValidatingAdmissionPolicy/autoheal-tenant-safety-shard-a", "ValidatingAdmissionPolicyBinding/autoheal-tenant-safety-shard-a",
                "ClusterRole/" + name, "ClusterRole/" + name + "-bootstrap-credentials", "PodDisruptionBudget/" + name);
        JsonNode config = objects.get("ConfigMap/" + name).path("data");
        assertThat(config.path("AUTOHEAL_REGION").asText()).isEqualTo("eu-west-1");
        assertThat(config.path("AUTOHEAL_SHARD").asText()).isEqualTo("a");
        assertThat(config.path("AUTOHEAL_WATCH_NAMESPACES").asText()).isEqualTo("team-a,team-b");
        assertThat(config.path("AUTOHEAL_EVENTS_QUEUE_URL").asText()).isEqualTo("https://sqs.eu-west-1.amazonaws.com/111122223333/autoheal-events");
        assertThat(config.path("AUTOHEAL_RESYNC_INTERVAL").asText()).isEqualTo("5m");
        assertThat(config.path("AUTOHEAL_BOOTSTRAP_ALLOWED_HOSTS").asText()).isEqualTo("bootstrapper.infra.svc,*.bootstrap.example.com");
        assertThat(config.path("AUTOHEAL_BOOTSTRAP_ALLOW_INTERNAL_HOSTS").asText()).isEqualTo("bootstrapper.infra.svc");
        assertThat(config.path("AUTOHEAL_NOTIFICATIONS_WEBHOOK_SECRET").asText()).isEqualTo("platform/autoheal-slack");
        assertThat(config.path("AUTOHEAL_HEALTH_PROBE_ALLOWED_CIDRS").asText()).isEqualTo("10.0.0.0/8,127.0.0.0/8");
        assertThat(config.path("AUTOHEAL_LEADER_ELECTION_LEASE_NAME").asText()).isEqualTo(name + "-lease");
        assertThat(config.path("QUARKUS_LOG_CONSOLE_JSON_ENABLED").asText()).isEqualTo("false");
        assertThat(config.path("AUTOHEAL_ALERTMANAGER_FIRING_TTL").asText()).isEqualTo("20m");
        assertThat(config.toString()).as("the webhook token never goes to the ConfigMap").doesNotContain("full-values-alertmanager-token");
        assertThat(objects.get("Secret/" + name + "-alertmanager").path("stringData").path("token").asText()).isEqualTo("full-values-alertmanager-token");
        JsonNode deployment = objects.get("Deployment/" + name);
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(container.path("image").asText()).isEqualTo("registry.example.com/platform/autoheal-operator@sha256:"
                + "0".repeat(63) + "1");
        assertThat(container.path("resources").path("limits").path("memory").asText()).isEqualTo("512Mi");
        assertThat(container.path("env").toString()).contains("AUTOHEAL_AWS_RATE_LIMIT_READS_PER_SECOND")
                .contains("{\"name\":\"AUTOHEAL_INSTALLATION_ID\",\"value\":\"production\"}");
        assertThat(container.path("env").toString()).contains("{\"name\":\"AUTOHEAL_ALERTMANAGER_TOKEN\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"" + name + "-alertmanager\",\"key\":\"token\"}}}");
        assertThat(pod.path("serviceAccountName").asText()).isEqualTo(name);
        assertThat(pod.path("tolerations").get(0).path("key").asText()).isEqualTo("dedicated");
        assertThat(objects.get("ServiceAccount/" + name).path("metadata").path("annotations").path("eks.amazonaws.com/role-arn").asText())
                .isEqualTo("arn:aws:iam::111122223333:role/autoheal-operator");
        assertThat(objects.get("Role/" + name + "-leader-election").toString()).contains("\"" + name + "-lease\"");
        assertThat(objects.get("Role/" + name + "-notifications").toString()).contains("\"autoheal-slack\"");
        assertThat(objects.get("PrometheusRule/" + name).toString()).contains("AutohealEipPoolExhausted", "{{ $labels.");
        assertThat(objects.get("ServiceMonitor/" + name).path("metadata").path("labels").path("release").asText()).isEqualTo("kube-prometheus-stack");
        assertThat(objects.get("ConfigMap/" + name + "-dashboard").path("data").path("autoheal-operator.json").asText())
                .isEqualTo(readString(Sandbox.root().resolve("deploy/monitoring/dashboard.json")));
    }

    /** /sd/targets' bearer token: read from the named Secret; the chart creates it with the given token or a random one. */
    @Test
    void theSdTokenComesFromItsSecret() throws IOException {
        Map<String, ObjectNode> full = byKey(Helm.objects(Helm.template("platform", "-f", Helm.FULL_VALUES.toString())));
        String name = "autoheal-shard-a";
        assertThat(full.get("Secret/autoheal-sd").path("stringData").path("token").asText()).isEqualTo("full-values-sd-token");
        JsonNode env = full.get("Deployment/" + name).path("spec").path("template").path("spec").path("containers").get(0).path("env");
        JsonNode token = null;
        for (JsonNode e : env) {
            if (e.path("name").asText().equals("AUTOHEAL_DISCOVERY_SD_TOKEN")) {
                token = e.path("valueFrom").path("secretKeyRef");
            }
        }
        assertThat(token).as("AUTOHEAL_DISCOVERY_SD_TOKEN from a secretKeyRef").isNotNull();
        assertThat(token.path("name").asText()).isEqualTo("autoheal-sd");
        assertThat(token.path("key").asText()).isEqualTo("token");
        assertThat(full.get("ConfigMap/" + name).path("data").has("AUTOHEAL_DISCOVERY_SD_UNAUTHENTICATED")).isFalse();

        Map<String, ObjectNode> defaults = byKey(Helm.objects(Helm.template(NS)));
        String generated = defaults.get("Secret/autoheal-sd-token").path("stringData").path("token").asText();
        assertThat(generated).as("a default install gets a random token, so /sd/targets works for whoever holds the Secret").hasSize(40)
                .isNotEqualTo(byKey(Helm.objects(Helm.template(NS))).get("Secret/autoheal-sd-token").path("stringData").path("token").asText());
        Map<String, ObjectNode> own = byKey(Helm.objects(Helm.template(NS, "--set", "sdTargets.generateToken=false")));
        assertThat(own.keySet()).noneMatch(k -> k.startsWith("Secret/"));
        Map<String, ObjectNode> open = byKey(Helm.objects(Helm.template(NS, "--set", "sdTargets.unauthenticated=true")));
        assertThat(open.get("ConfigMap/autoheal-operator").path("data").path("AUTOHEAL_DISCOVERY_SD_UNAUTHENTICATED").asText()).isEqualTo("true");
        assertThat(Helm.exec("template", "autoheal", Helm.CHART.toString(), "--set", "sdTargets.tokenSecret=").ok()).isFalse();
    }

    /** watchNamespaces set: the operator's rights (Jobs, ConfigMap writes) are bound in those namespaces only. */
    @Test
    void watchedNamespacesGetRoleBindingsInsteadOfAClusterRoleBinding() throws IOException {
        Map<String, ObjectNode> full = byKey(Helm.objects(Helm.template("platform", "-f", Helm.FULL_VALUES.toString())));
        String name = "autoheal-shard-a";
        assertThat(full).doesNotContainKey("ClusterRoleBinding/" + name);
        for (String ns : new String[] {"team-a", "team-b"}) {
            ObjectNode binding = full.get("RoleBinding/" + name + "-" + ns);
            assertThat(binding).as("RoleBinding in " + ns).isNotNull();
            assertThat(binding.path("metadata").path("namespace").asText()).isEqualTo(ns);
            assertThat(binding.path("roleRef").path("name").asText()).isEqualTo(name);
            assertThat(binding.path("subjects").get(0).path("namespace").asText()).isEqualTo("platform");
        }
        assertThat(full.keySet().stream().filter(k -> k.startsWith("RoleBinding/" + name + "-team-"))).hasSize(2);
        Map<String, ObjectNode> defaults = byKey(Helm.objects(Helm.template(NS)));
        assertThat(defaults).containsKey("ClusterRoleBinding/autoheal-operator");
    }

    static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode collapseWhitespace(ObjectNode o) {
        o.fields().forEachRemaining(e -> e.setValue(collapse(e.getValue())));
        return o;
    }

    static JsonNode collapse(JsonNode node) {
        if (node.isTextual()) {
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(node.asText().replaceAll("\\s+", " "));
        }
        if (node instanceof ObjectNode o) {
            return collapseWhitespace(o);
        }
        if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, collapse(a.get(i)));
            }
        }
        return node;
    }

    static Map<String, ObjectNode> byKey(List<ObjectNode> objects) {
        return objects.stream().collect(Collectors.toMap(Helm::key, o -> o, (a, b) -> {
            throw new AssertionError("two objects named " + Helm.key(a));
        }, TreeMap::new));
    }

    static Map<String, String> labels(JsonNode o) {
        Map<String, String> labels = new TreeMap<>();
        o.path("metadata").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    /**
     * Without what legitimately differs: Helm's own labels, the chart's config checksum, empty annotations, and runs of
     * whitespace in strings (kustomize's YAML library keeps a blank line in the admission policy's folded CEL
     * expressions where Helm's does not; CEL ignores it).
     */
    static JsonNode normalized(ObjectNode o) {
        ObjectNode copy = collapseWhitespace(o.deepCopy());
        ObjectNode metadata = (ObjectNode) copy.path("metadata");
        metadata.remove("labels");
        if (metadata.path("annotations").isEmpty()) {
            metadata.remove("annotations");
        }
        if (copy.path("spec").path("template").path("metadata") instanceof ObjectNode template) {
            template.remove("annotations");
        }
        return copy;
    }
}
