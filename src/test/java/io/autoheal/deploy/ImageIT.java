package io.autoheal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoheal.testing.Sandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * `make image` (scripts/image.sh: mmdebstrap + umoci + skopeo, no container engine) run for real on the packaged app,
 * and the OCI archive it wrote read back with skopeo and tar: non-root user, entrypoint, labels, no package manager or
 * compiler in any layer, the app where the entrypoint expects it, and its size (printed).
 */
class ImageIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static Path archive;
    static JsonNode config;
    static JsonNode manifest;
    static List<String> files = new ArrayList<>();

    @BeforeAll
    static void build() throws Exception {
        String out = run(Sandbox.root(), "bash", "scripts/image.sh");
        String version = run(Sandbox.root(), "bash", "-c", "sed -n 's:^  <version>\\(.*\\)</version>:\\1:p' pom.xml | head -1").trim();
        archive = Sandbox.root().resolve("target/image/autoheal-operator-" + version + ".oci.tar");
        assertThat(archive).as(out).isRegularFile();
        config = JSON.readTree(run(Sandbox.root(), "skopeo", "inspect", "--config", "oci-archive:" + archive));
        manifest = JSON.readTree(run(Sandbox.root(), "skopeo", "inspect", "--raw", "oci-archive:" + archive));
        Path dir = Files.createTempDirectory("autoheal-image-");
        run(dir, "tar", "-xf", archive.toString());
        for (JsonNode layer : manifest.path("layers")) {
            Path blob = dir.resolve("blobs/sha256").resolve(layer.path("digest").asText().replace("sha256:", ""));
            files.addAll(run(dir, "tar", "-tzf", blob.toString()).lines().map(f -> f.replaceFirst("^\\./", "")).toList());
        }
        long bytes = 0;
        for (JsonNode layer : manifest.path("layers")) {
            bytes += layer.path("size").asLong();
        }
        System.out.printf("ImageIT: %s: %d layers, %.1f MiB compressed, %d files%n", archive.getFileName(), manifest.path("layers").size(),
                bytes / 1048576.0, files.size());
        run(dir, "rm", "-rf", dir.toString());
    }

    @Test
    void runsAsTheNonRootUserOfTheDeployment() {
        assertThat(config.path("config").path("User").asText()).isEqualTo("185:185");
        assertThat(files).contains("etc/passwd", "deployments/");
    }

    @Test
    void entrypointStartsTheQuarkusAppWithTheDeploymentsJavaOpts() {
        String entrypoint = config.path("config").path("Entrypoint").toString();
        assertThat(entrypoint).contains("/usr/lib/jvm/java-17-openjdk-amd64/bin/java", "$JAVA_OPTS", "-jar /deployments/quarkus-run.jar");
        assertThat(files).contains("usr/lib/jvm/java-17-openjdk-amd64/bin/java", "deployments/quarkus-run.jar", "deployments/app/",
                "deployments/quarkus/", "deployments/lib/");
        assertThat(config.path("config").path("ExposedPorts").has("8080/tcp")).isTrue();
    }

    @Test
    void carriesSourceVersionAndLicenceLabels() {
        JsonNode labels = config.path("config").path("Labels");
        assertThat(labels.path("org.opencontainers.image.source").asText()).startsWith("https://");
        assertThat(labels.path("org.opencontainers.image.version").asText()).isEqualTo(archive.getFileName().toString()
                .replace("autoheal-operator-", "").replace(".oci.tar", ""));
        assertThat(labels.has("org.opencontainers.image.licenses")).isTrue();
        assertThat(labels.path("org.opencontainers.image.revision").asText()).isNotBlank();
    }

    @Test
    void noPackageManagerNorCompilerIsLeft() {
        assertThat(files).filteredOn(f -> Stream.of("usr/bin/dpkg", "usr/bin/apt", "usr/sbin/dpkg", "var/lib/dpkg/", "usr/lib/apt/",
                "usr/bin/gcc", "usr/bin/cc", "usr/bin/javac", "bin/javac").anyMatch(f::startsWith)).isEmpty();
        assertThat(files).noneMatch(f -> f.endsWith("/javac") || f.endsWith("/jshell"));
    }

    @Test
    void isSmallEnoughToPullQuickly() {
        long bytes = 0;
        for (JsonNode layer : manifest.path("layers")) {
            bytes += layer.path("size").asLong();
        }
        assertThat(manifest.path("layers").size()).as("root filesystem, dependencies, app").isEqualTo(3);
        assertThat(bytes).as("compressed size").isLessThan(200L * 1024 * 1024);
    }

    static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false).start();
        p.getOutputStream().close();
        java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + out + new String(err.join(), StandardCharsets.UTF_8));
        }
        return out;
    }
}
