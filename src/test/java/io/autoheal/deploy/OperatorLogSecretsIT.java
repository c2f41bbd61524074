package io.autoheal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * After the surefire tier (failsafe runs later in `mvn verify`): the in-process operator's log of that whole run
 * (target/operator-test.log) holds none of the Secret values the tests gave it — bootstrap bearer tokens that
 * BootstrapTest and MonitoringE2ETest made the operator send. Fails, rather than passes empty, when that run did not happen.
 */
class OperatorLogSecretsIT {
    static final Path LOG = Path.of("target/operator-test.log");
    /** Values of the test Secrets (ClusterManifest.credentials) and of the runners' unit tests. */
    static final List<String> SECRET_VALUES = List.of("s3cret", "t0ken", "not-logged");
    /** Suites whose operator read and sent those Secrets. */
    static final List<String> SUITES = List.of("io.autoheal.bootstrap.BootstrapTest", "io.autoheal.monitoring.MonitoringE2ETest");

    @Test
    void theFullRunsLogHoldsNoSecretValue() throws Exception {
        for (String suite : SUITES) {
            Path report = Path.of("target/surefire-reports/TEST-" + suite + ".xml");
            assertThat(report).as("%s ran in this build (run the whole `mvn verify`, as make test does)", suite).exists();
            assertThat(Files.readString(report)).as(suite).containsPattern("tests=\"[1-9]").contains("skipped=\"0\"");
        }
        String log = Files.readString(LOG);
        assertThat(log).as("operator log of the run").isNotBlank();
        for (String value : SECRET_VALUES) {
            assertThat(log).as("a test Secret value in " + LOG).doesNotContain(value);
        }
    }
}
