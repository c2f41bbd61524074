package io.autoheal.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.autoheal.testing.Sandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Argo CD health check of docs/gitops.md, read from the argocd-cm ConfigMap there exactly as a user pastes it, run
 * against the status fixtures in src/test/resources/gitops/health (each names the health it must give and a part of
 * the message) by Debian's Lua 5.1 — the language level of gopher-lua, which Argo CD embeds — and Lua 5.4.
 */
class ArgoHealthCheckTest {
    static final String KEY = "resource.customizations.health.autoheal.io_HealingCluster";
    static final Path FIXTURES = Sandbox.root().resolve("src/test/resources/gitops/health");
    static final ObjectMapper JSON = new ObjectMapper();

    /** The script: the data key of the one ConfigMap in docs/gitops.md's yaml blocks that has it. */
    static String script() throws IOException {
        String doc = Files.readString(Sandbox.root().resolve("docs/gitops.md"));
        Matcher m = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(doc);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            JsonNode cm = new YAMLMapper().readTree(m.group(1));
            if (cm != null && cm.path("data").has(KEY)) {
                found.add(cm.path("data").path(KEY).asText());
            }
        }
        assertThat(found).as("docs/gitops.md has one argocd-cm block with " + KEY).hasSize(1);
        return found.get(0);
    }

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> files = Files.list(FIXTURES)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList().stream();
        }
    }

    @Test
    void everyHealthArgoCdKnowsIsCovered() throws IOException {
        List<String> expected = new ArrayList<>();
        for (String f : fixtures().toList()) {
            expected.add(JSON.readTree(FIXTURES.resolve(f).toFile()).path("expect").path("status").asText());
        }
        assertThat(expected).contains("Healthy", "Progressing", "Degraded", "Suspended");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void healthOf(String fixture) throws Exception {
        JsonNode f = JSON.readTree(FIXTURES.resolve(fixture).toFile());
        for (String lua : List.of("lua5.1", "lua5.4")) {
            String[] hs = run(lua, script(), f.path("object"));
            assertThat(hs[0]).as(lua + " " + fixture + ": health status (message: " + hs[1] + ")")
                    .isEqualTo(f.path("expect").path("status").asText());
            assertThat(hs[1]).as(lua + " " + fixture + ": message").contains(f.path("expect").path("messageContains").asText());
        }
    }

    /** Argo CD runs the script with the resource as the global {@code obj} and reads the table it returns. */
    static String[] run(String lua, String script, JsonNode object) throws IOException, InterruptedException {
        String program = "obj = " + lua(object) + "\n"
                + "local hs = (function()\n" + script + "\nend)()\n"
                + "io.write(hs.status, \"\\n\", hs.message or \"\")\n";
        Process p = new ProcessBuilder(interpreter(lua), "-").redirectErrorStream(true).start();
        p.getOutputStream().write(program.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("lua finished").isTrue();
        assertThat(p.exitValue()).as("lua exit status; output:\n" + out).isZero();
        int nl = out.indexOf('\n');
        return nl < 0 ? new String[] {out, ""} : new String[] {out.substring(0, nl), out.substring(nl + 1)};
    }

    /** JSON as a Lua table constructor (null members left out, as Argo CD's conversion leaves them nil). */
    static String lua(JsonNode n) {
        if (n.isObject()) {
            StringBuilder b = new StringBuilder("{");
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNull()) {
                    b.append('[').append(quote(e.getKey())).append("]=").append(lua(e.getValue())).append(',');
                }
            }
            return b.append('}').toString();
        }
        if (n.isArray()) {
            StringBuilder b = new StringBuilder("{");
            n.forEach(v -> b.append(lua(v)).append(','));
            return b.append('}').toString();
        }
        if (n.isTextual()) {
            return quote(n.asText());
        }
        return n.isNull() ? "nil" : n.toString(); // numbers, booleans
    }

    static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r") + '"';
    }

    /** Debian's lua5.1 / lua5.4 (scripts/prereqs.sh installs them); failing, never skipping, when one is missing. */
    static String interpreter(String name) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError(name + " is not installed: ArgoHealthCheckTest runs docs/gitops.md's Argo CD health check with "
                + "Debian's Lua (`apt-get install " + name + "`; scripts/prereqs.sh / make prereqs installs it)");
    }
}
