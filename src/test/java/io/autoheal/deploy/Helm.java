package io.autoheal.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Sandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real helm CLI (sandbox/build-helm.sh, .sandbox/bin/helm) against the sandbox, and its output as objects. */
final class Helm {
    static final Path CHART = Sandbox.root().resolve("deploy/helm/autoheal-operator");
    static final Path FULL_VALUES = CHART.resolve("ci/full-values.yaml");
    static final YAMLMapper YAML = new YAMLMapper();

    private Helm() {
    }

    static Kubectl.Result exec(String... args) {
        Path helm = Path.of(Sandbox.get("SANDBOX_BIN"), "helm");
        if (!Files.isExecutable(helm)) {
            throw new IllegalStateException(helm + " is missing: make helm (make test builds it)");
        }
        List<String> command = new ArrayList<>(List.of(helm.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("KUBECONFIG", Sandbox.get("KUBECONFIG"));
        pb.environment().put("HELM_CACHE_HOME", Sandbox.root().resolve("target/helm/cache").toString());
        pb.environment().put("HELM_CONFIG_HOME", Sandbox.root().resolve("target/helm/config").toString());
        pb.environment().put("HELM_DATA_HOME", Sandbox.root().resolve("target/helm/data").toString());
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(3, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return new Kubectl.Result(-1, out + "\n(timed out)");
            }
            return new Kubectl.Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run helm", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static String run(String... args) {
        Kubectl.Result r = exec(args);
        if (!r.ok()) {
            throw new AssertionError("helm " + String.join(" ", args) + " failed (" + r.exitCode() + "): " + r.output());
        }
        return r.output();
    }

    /** helm template of the chart into {@code namespace}, with extra arguments (-f, --set). */
    static String template(String namespace, String... extra) {
        List<String> args = new ArrayList<>(List.of("template", "autoheal", CHART.toString(), "--namespace", namespace));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    /** The objects of a multi-document YAML stream (empty documents dropped). */
    static List<ObjectNode> objects(String yaml) throws IOException {
        List<ObjectNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node instanceof ObjectNode o && o.has("kind")) {
                    objects.add(o);
                }
            }
        }
        return objects;
    }

    static String key(JsonNode o) {
        return o.path("kind").asText() + "/" + o.path("metadata").path("name").asText();
    }
}
