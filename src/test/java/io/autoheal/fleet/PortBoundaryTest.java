package io.autoheal.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The ports' boundary, read from the sources: the reconcilers' packages see AWS only through io.autoheal.fleet, and
 * the AWS adapter depends on nothing above it. (ArchUnit is not in this build; a source scan is enough for imports
 * and fully qualified names, which is how one package can reach another.)
 */
class PortBoundaryTest {
    static final Path MAIN = Path.of("src/main/java/io/autoheal");

    @Test
    void clusterEipAndBootstrapDoNotReachTheAwsAdapter() {
        assertThat(offenders(List.of("cluster", "eip", "bootstrap"), "io.autoheal.cloud.aws")).isEmpty();
    }

    @Test
    void theAwsAdapterDependsOnNothingAboveIt() {
        for (String above : List.of("io.autoheal.cluster", "io.autoheal.eip", "io.autoheal.bootstrap")) {
            assertThat(offenders(List.of("cloud/aws"), above)).as(above).isEmpty();
        }
    }

    /** The scan itself finds both spellings (so the tests above can fail), and not a longer package of the same prefix. */
    @Test
    void theScanFindsImportsAndQualifiedNames() {
        Pattern p = reference("io.autoheal.cloud.aws");
        assertThat(p.matcher("import io.autoheal.cloud.aws.AsgWriter;").find()).isTrue();
        assertThat(p.matcher("    private final io.autoheal.cloud.aws.AsgWriter w;").find()).isTrue();
        assertThat(p.matcher("import io.autoheal.cloud.awsx.Other;").find()).isFalse();
        assertThat(p.matcher("import io.autoheal.cloud.ObservedAsg;").find()).isFalse();
        assertThat(offenders(List.of("cloud/aws"), "io.autoheal.cloud.aws")).as("the scan reads the sources").isNotEmpty();
    }

    static List<String> offenders(List<String> packages, String forbidden) {
        Pattern p = reference(forbidden);
        return packages.stream().flatMap(pkg -> javaFiles(MAIN.resolve(pkg)))
                .filter(f -> p.matcher(read(f)).find()).map(Path::toString).toList();
    }

    private static Pattern reference(String pkg) {
        return Pattern.compile("(?<![\\w.])" + Pattern.quote(pkg) + "\\.[A-Za-z]");
    }

    private static Stream<Path> javaFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
