package io.autoheal.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The namespaces Secrets named in the operator's configuration may come from. */
class ConfiguredNamespacesTest {
    static final Path NO_FILE = Path.of("/nonexistent/namespace");

    @ParameterizedTest(name = "watch {0}, own {1}, secret {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "JOSDK_ALL_NAMESPACES | -               | default/hook             | -",
            "team-a,team-b        | autoheal-system | autoheal-system/hook     | -",
            "team-a,team-b        | autoheal-system | team-b/hook              | -",
            "team-a,team-b        | autoheal-system | kube-system/hook         | namespace kube-system, which the operator is not configured for",
            "team-a               | -               | autoheal-system/hook     | namespace autoheal-system, which the operator is not configured for",
            "team-a               | -               | -                        | -",
            "team-a               | -               | hook                     | must be namespace/name",
            "team-a               | -               | team-a/                  | must be namespace/name",
            "team-a               | -               | team-a/x/y               | must be namespace/name"})
    void webhookSecret(String watched, String own, String ref, String problem) {
        ConfiguredNamespaces ns = ConfiguredNamespaces.of(Arrays.asList(watched.split(",")), Optional.ofNullable(own), Map.of(), NO_FILE);
        Optional<String> got = ns.webhookSecretProblem(Optional.ofNullable(ref));
        if (problem == null) {
            assertThat(got).isEmpty();
        } else {
            assertThat(got).hasValueSatisfying(m -> assertThat(m).contains(problem));
        }
    }

    @Test
    void theOperatorsOwnNamespaceComesFromTheLeaseSettingThePodOrItsServiceAccount(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("namespace");
        Files.writeString(file, "from-file\n");
        List<String> watched = List.of("team-a");
        assertThat(ConfiguredNamespaces.of(watched, Optional.of("lease-ns"), Map.of("POD_NAMESPACE", "pod-ns"), file).own()).hasValue("lease-ns");
        assertThat(ConfiguredNamespaces.of(watched, Optional.empty(), Map.of("POD_NAMESPACE", "pod-ns"), file).own()).hasValue("pod-ns");
        assertThat(ConfiguredNamespaces.of(watched, Optional.empty(), Map.of(), file).own()).hasValue("from-file");
        assertThat(ConfiguredNamespaces.of(watched, Optional.empty(), Map.of(), NO_FILE).own()).isEmpty();
    }
}
