package io.autoheal.startup;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.testing.OperatorProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wrong KUBECONFIG or AWS endpoint, or a notification Secret outside the configured namespaces, ends the packaged
 * operator within seconds, with one line naming what it tried.
 */
class FailFastIT {

    @Test
    void unreachableApiServer(@TempDir Path dir) throws Exception {
        int port = closedPort();
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: nowhere, cluster: {server: "https://127.0.0.1:PORT", insecure-skip-tls-verify: true}}]
                users: [{name: u, user: {token: x}}]
                contexts: [{name: c, context: {cluster: nowhere, user: u}}]
                current-context: c
                """.replace("PORT", String.valueOf(port)));
        assertFailsFast(Map.of("KUBECONFIG", kubeconfig.toString()), "cannot reach the Kubernetes API server at https://127.0.0.1:" + port);
    }

    @Test
    void unreachableAwsEndpoint() throws Exception {
        int port = closedPort();
        assertFailsFast(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:" + port), "cannot reach AWS Auto Scaling at http://127.0.0.1:" + port);
    }

    /** Secrets named in the configuration come only from the namespaces the operator is configured for. */
    @Test
    void webhookSecretOutsideTheConfiguredNamespaces() throws Exception {
        assertFailsFast(Map.of("AUTOHEAL_WATCH_NAMESPACES", "team-a", "AUTOHEAL_NOTIFICATIONS_WEBHOOK_SECRET", "kube-system/hook"),
                "autoheal.notifications.webhook-secret names a Secret in namespace kube-system, which the operator is not configured for");
    }

    private static void assertFailsFast(Map<String, String> env, String expected) throws Exception {
        long started = System.nanoTime();
        try (OperatorProcess operator = OperatorProcess.start("failfast", env)) {
            OptionalInt exit = operator.waitForExit(Duration.ofSeconds(30));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(exit).as("the operator must exit by itself").isPresent();
            assertThat(exit.getAsInt()).isNotZero();
            String log = operator.log();
            assertThat(log).contains(expected);
            assertThat(log.lines().filter(l -> l.contains(expected))).as("one clear line").hasSize(1);
            // Includes JVM + Quarkus start-up (~2.5 s on this 2-core machine); refused connections fail at once.
            assertThat(took).as("time to give up: %s", took).isLessThan(Duration.ofSeconds(8));
            System.out.printf("fail-fast: exited %d after %d ms: %s%n", exit.getAsInt(), took.toMillis(), expected);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
