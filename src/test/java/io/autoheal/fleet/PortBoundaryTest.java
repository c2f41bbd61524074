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

    /**
     * Nothing above the adapter sees the AWS SDK: not its clients, not its model, not its exceptions (the adapters
     * translate failures into {@link CloudFailure}). Wherever the SDK is needed, it is in io.autoheal.cloud.aws.
     */
    @Test
    void nothingOutsideTheAwsAdapterReachesTheAwsSdk() {
        assertThat(offendersOutside("software.amazon", "cloud/aws")).isEmpty();
    }

    /** Only the composition root (startup's connectivity probe) names the adapter; everything else uses the ports. */
    @Test
    void onlyStartupReachesTheAwsAdapter() {
        assertThat(offendersOutside("io.autoheal.cloud.aws", "cloud/aws", "startup")).isEmpty();
    }

    /** The ports own their observation types (ObservedAsg, Tags, ...): the port package needs nothing from io.autoheal.cloud. */
    @Test
    void thePortsImportNothingFromTheAdapterSide() {
        assertThat(offenders(List.of("fleet"), "io.autoheal.cloud")).isEmpty();
    }

    /** The scan itself finds both spellings (so the tests above can fail), and not a longer package of the same prefix. */
    @Test
    void theScanFindsImportsAndQualifiedNames() {
        Pattern p = reference("io.autoheal.cloud.aws");
        assertThat(p.matcher("import io.autoheal.cloud.aws.AsgWriter;").find()).isTrue();
        assertThat(p.matcher("    private final io.autoheal.cloud.aws.AsgWriter w;").find()).isTrue();
        assertThat(p.matcher("import io.autoheal.cloud.awsx.Other;").find()).isFalse();
        assertThat(p.matcher("import io.autoheal.fleet.ObservedAsg;").find()).isFalse();
        assertThat(offenders(List.of("cloud/aws"), "io.autoheal.cloud.aws")).as("the scan reads the sources").isNotEmpty();
        assertThat(offenders(List.of("cloud/aws"), "software.amazon")).as("the scan reads the sources").isNotEmpty();
        assertThat(filesOutside("cloud/aws")).as("every package but the adapter's").extracting(f -> MAIN.relativize(f.getParent()).toString())
                .contains("cluster", "eip", "bootstrap", "events", "fleet", "startup").doesNotContain("cloud/aws");
        assertThat(p.matcher(code("// see io.autoheal.cloud.aws.AsgWriter\n/* io.autoheal.cloud.aws.AsgWriter */ int x;")).find())
                .as("comments are no dependency").isFalse();
    }

    /** The sources under io/autoheal except those in the excluded package directories (and below them). */
    static List<Path> filesOutside(String... excluded) {
        return javaFiles(MAIN).filter(f -> {
            String dir = MAIN.relativize(f.getParent()).toString().replace('\\', '/');
            return Stream.of(excluded).noneMatch(x -> dir.equals(x) || dir.startsWith(x + "/"));
        }).toList();
    }

    static List<String> offendersOutside(String forbidden, String... excluded) {
        Pattern p = reference(forbidden);
        return filesOutside(excluded).stream().filter(f -> p.matcher(code(read(f))).find()).map(Path::toString).toList();
    }

    static List<String> offenders(List<String> packages, String forbidden) {
        Pattern p = reference(forbidden);
        return packages.stream().flatMap(pkg -> javaFiles(MAIN.resolve(pkg)))
                .filter(f -> p.matcher(code(read(f))).find()).map(Path::toString).toList();
    }

    private static Pattern reference(String pkg) {
        return Pattern.compile("(?<![\\w.])" + Pattern.quote(pkg) + "\\.[A-Za-z]");
    }

    /** The source without its comments (a naive cut: text in a string after "//" is dropped too, which only hides strings). */
    static String code(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", "");
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
