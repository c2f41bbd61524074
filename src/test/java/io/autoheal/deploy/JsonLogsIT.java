package io.autoheal.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoheal.bootstrap.TestBootstrapper;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Moto;
import io.autoheal.testing.OperatorProcess;
import io.autoheal.testing.Sandbox;
import io.autoheal.testing.TestNamespace;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged operator with the Deployment's log setting (QUARKUS_LOG_CONSOLE_JSON_ENABLED=true, deploy/base/configmap.yaml):
 * one JSON object per line, a failed AWS call logged with its operation, error code and request id and with the
 * resource it concerned (JOSDK's MDC), and the bootstrapper's bearer token nowhere in the log although it was sent.
 */
class JsonLogsIT {
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("json-logs");
    static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void clean() {
        Moto.clearFaults();
    }

    @Test
    void logsAreJsonWithTheResourceAndTheRequestIdAndNoSecret() throws Exception {
        String token = "tok-" + UUID.randomUUID();
        Kubectl.run("apply", "--server-side", "--force-conflicts", "-f", Sandbox.root().resolve("crds").toString());
        Kubectl.awaitCrdsEstablished();
        Moto.clearFaults();
        // one refused create (the SDK makes a single attempt here): the operator logs it, then retries and succeeds
        Moto.injectFault("CreateAutoScalingGroup", "ServiceUnavailable", 503, 1);
        try (TestBootstrapper bootstrapper = TestBootstrapper.start();
             OperatorProcess op = OperatorProcess.start("json-logs", Map.of("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true",
                     "AUTOHEAL_WATCH_NAMESPACES", ns.name(), "AUTOHEAL_AWS_MAX_ATTEMPTS", "1"))) {
            try {
                ns.apply(ClusterManifest.named("logged").capacity(1, 1, 2).bootstrapHttp(bootstrapper.url(), bootstrapper.statusUrl())
                        .credentials("logged-creds", token).toYaml());
                await().atMost(Duration.ofSeconds(120)).until(() -> !bootstrapper.posts().isEmpty());
                assertThat(bootstrapper.posts().get(0).authorization()).isEqualTo("Bearer " + token);
                // the reporter fills the /scale subresource's selector (ApiConventionsTest checks the CRD side)
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        ns.kubectl("get", "hc", "logged", "--subresource=scale", "-o", "jsonpath={.status.selector}"))
                        .isEqualTo("autoheal.io/cluster=logged"));
            } finally {
                // while the operator still runs: its finalizer deletes the Auto Scaling Group
                ns.kubectl("delete", "hc", "--all", "--timeout=90s");
            }
            String log = op.log();
            assertThat(log).as("the bearer token").doesNotContain(token).doesNotContain(token.substring(4));
            List<JsonNode> lines = jsonLines(log);
            assertThat(lines).as("JSON log lines").hasSizeGreaterThan(5);
            assertThat(lines).anySatisfy(line -> {
                assertThat(line.path("loggerName").asText()).endsWith("FailedCallLog");
                assertThat(line.path("message").asText()).startsWith("AWS CreateAutoScalingGroup failed: ServiceUnavailable")
                        .containsPattern("HTTP 503, request id [0-9a-f-]{36}\\)");
                assertThat(line.path("mdc").path("resource.namespace").asText()).isEqualTo(ns.name());
                assertThat(line.path("mdc").path("resource.name").asText()).isEqualTo("logged");
            });
        }
    }

    /** Every line the logger wrote parses as JSON; the JVM's own few lines (none expected) are not the logger's format. */
    static List<JsonNode> jsonLines(String log) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : log.lines().filter(l -> !l.isBlank()).toList()) {
            assertThat(line).as("a console-format line in JSON mode").doesNotContainPattern("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ");
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }
}
