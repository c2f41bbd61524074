package io.autoheal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.autoheal.testing.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The image recipe matches what the build produces and what the Deployment expects. No container engine runs on the
 * build machines (docker is only a client there), so the image itself is not built by the tests: this checks every
 * input the build would use instead (see deploy/README.md, "Image").
 */
class DockerfileIT {
    static final Path DOCKERFILE = Sandbox.root().resolve("src/main/docker/Dockerfile.jvm");

    static List<String> instructions() throws IOException {
        return Files.readAllLines(DOCKERFILE).stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    @Test
    void everyCopiedPathIsWhatThePackageBuildWrote() throws IOException {
        Path app = Path.of(System.getProperty("autoheal.operatorJar", "target/quarkus-app/quarkus-run.jar")).getParent();
        List<String> copies = instructions().stream().filter(l -> l.startsWith("COPY")).toList();
        assertThat(copies).hasSize(4);
        for (String copy : copies) {
            String[] parts = copy.split("\\s+");
            String source = parts[parts.length - 2].replace("target/quarkus-app/", "");
            assertThat(parts).as(copy).contains("--chown=185");
            if (source.equals("*.jar")) {
                assertThat(app.resolve("quarkus-run.jar")).as(copy).isRegularFile();
            } else {
                assertThat(app.resolve(source)).as(copy).isDirectory().isNotEmptyDirectory();
            }
        }
    }

    @Test
    void runsAsTheNonRootUserAndPortOfTheDeployment() throws IOException {
        List<String> lines = instructions();
        Matcher from = Pattern.compile("FROM (\\S+):(\\S+)").matcher(lines.get(0));
        assertThat(from.matches()).as("first instruction is FROM image:tag").isTrue();
        assertThat(from.group(2)).as("pinned base image tag").isNotEqualTo("latest").matches("\\d+(\\.\\d+)+");

        JsonNode deployment = new YAMLMapper().readTree(Sandbox.root().resolve("deploy/base/deployment.yaml").toFile());
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        assertThat(lines).contains("USER " + pod.path("securityContext").path("runAsUser").asText());
        assertThat(pod.path("securityContext").path("runAsUser").asInt()).isNotZero();
        assertThat(lines).contains("EXPOSE " + container.path("ports").get(0).path("containerPort").asText());
        assertThat(lines).anyMatch(l -> l.startsWith("ENTRYPOINT"));
    }
}
