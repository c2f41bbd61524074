package io.autoheal.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Sandbox;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * examples/ and the README's example as the user applies them: each accepted by the real API server (server-side
 * dry run, so the schema, CEL rules and the tenant-safety admission policy all run), every field a user configures shown
 * by at least one example, and every example listed in the README. (Several examples are also applied for real by the
 * sandbox tests of their feature: DiscoveryTest, ElasticIpPoolTest, BootstrapTest, TenantAdmissionTest.)
 */
@Tag(SandboxTest.TAG)
class ExamplesTest {
    static final Path EXAMPLES = Sandbox.root().resolve("examples");
    static final YAMLMapper YAML = new YAMLMapper();
    /** Below the top-level spec fields (all required, from the CRDs): the choices a user makes inside them. */
    static final Map<String, List<String>> ALTERNATIVES = Map.of(
            "HealingCluster", List.of("spec.template.machine", "spec.template.launchTemplate", "spec.template.instanceTypes",
                    "spec.template.spotPercentage", "spec.template.capacityRebalance", "spec.bootstrap.http", "spec.bootstrap.job",
                    "spec.bootstrap.gateLaunch", "spec.drain.http", "spec.drain.onTimeout", "spec.discovery.template",
                    "spec.discovery.ports", "spec.health.maxUnhealthy", "spec.health.maxRemediationsPerHour", "spec.elasticIps.required"),
            "ElasticIpPool", List.of("spec.allocate", "spec.selector", "spec.addresses"));

    @RegisterExtension
    static TestNamespace ns = new TestNamespace("examples");

    @BeforeAll
    static void crds() {
        Kubectl.run("apply", "--server-side", "--force-conflicts", "-f", Sandbox.root().resolve("crds").toString());
        Kubectl.awaitCrdsEstablished();
    }

    static Stream<String> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".yaml")).sorted().toList().stream();
        }
    }

    static Kubectl.Result dryRun(String yaml) {
        return Kubectl.exec(yaml, "apply", "--server-side", "--dry-run=server", "-n", ns.name(), "-f", "-");
    }

    @ParameterizedTest
    @MethodSource("examples")
    void theApiServerAcceptsTheExample(String file) throws IOException {
        String yaml = Files.readString(EXAMPLES.resolve(file));
        Kubectl.Result r = dryRun(yaml);
        assertThat(r.ok()).as("kubectl apply --dry-run=server of examples/%s:%n%s", file, r.output()).isTrue();
        for (JsonNode doc : documents(yaml)) {
            assertThat(r.output()).as("every object of examples/%s", file)
                    .contains(doc.path("metadata").path("name").asText() + " serverside-applied (server dry run)");
        }
    }

    @Test
    void theReadmesExampleIsAcceptedToo() throws IOException {
        String readme = Files.readString(Sandbox.root().resolve("README.md"));
        String section = readme.substring(readme.indexOf("## One example"));
        String yaml = section.substring(section.indexOf("```yaml\n") + 8, section.indexOf("```", section.indexOf("```yaml\n") + 8));
        Kubectl.Result r = dryRun(yaml);
        assertThat(r.ok()).as("the README's example:%n%s", r.output()).isTrue();
        assertThat(r.output()).contains("voip serverside-applied (server dry run)").contains("voip-eips serverside-applied (server dry run)");
    }

    /** The dry run does validate: a broken example (drain with both runners) is refused naming the rule. */
    @Test
    void aBrokenExampleIsRefused() throws IOException {
        String broken = Files.readString(EXAMPLES.resolve("drain.yaml"))
                .replace("    role: drain", "    job: {template: {spec: {template: {spec: {containers: [{name: d, image: d}]}}}}}\n    role: drain");
        Kubectl.Result r = dryRun(broken);
        assertThat(r.ok()).isFalse();
        assertThat(r.output()).contains("spec.drain: set exactly one of http or job");
    }

    @Test
    void everyFieldAUserConfiguresHasAnExample() throws IOException {
        Map<String, Set<String>> shown = Map.of("HealingCluster", new TreeSet<>(), "ElasticIpPool", new TreeSet<>());
        for (String file : examples().toList()) {
            for (JsonNode doc : documents(Files.readString(EXAMPLES.resolve(file)))) {
                Set<String> paths = shown.get(doc.path("kind").asText());
                if (paths != null) {
                    collect("spec", doc.path("spec"), 3, paths);
                }
            }
        }
        for (String kind : shown.keySet()) {
            List<String> wanted = new ArrayList<>(topLevelSpecFields(kind));
            wanted.addAll(ALTERNATIVES.get(kind));
            assertThat(shown.get(kind)).as("%s fields shown by examples/ (add an example for a new field)", kind).containsAll(wanted);
        }
    }

    @Test
    void theReadmeListsEveryExample() throws IOException {
        String readme = Files.readString(Sandbox.root().resolve("README.md"));
        assertThat(examples()).allSatisfy(file -> assertThat(readme).as("README lists examples/" + file).contains("(examples/" + file + ")"));
    }

    private static List<String> topLevelSpecFields(String kind) throws IOException {
        String crd = kind.equals("HealingCluster") ? "healingclusters.autoheal.io-v1.yml" : "elasticippools.autoheal.io-v1.yml";
        JsonNode spec = YAML.readTree(Sandbox.root().resolve("crds").resolve(crd).toFile())
                .path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema").path("properties").path("spec").path("properties");
        List<String> out = new ArrayList<>();
        spec.fieldNames().forEachRemaining(f -> out.add("spec." + f));
        assertThat(out).as("the CRD's spec fields").isNotEmpty();
        return out;
    }

    private static void collect(String path, JsonNode node, int depth, Set<String> into) {
        if (!node.isObject() || depth == 0) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            into.add(path + "." + e.getKey());
            collect(path + "." + e.getKey(), e.getValue(), depth - 1, into);
        }
    }

    private static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isEmpty()) {
                    out.add(doc);
                }
            }
        }
        return out;
    }
}
