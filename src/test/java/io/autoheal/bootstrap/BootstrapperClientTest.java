package io.autoheal.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.autoheal.bootstrap.BootstrapRecord.Failure;
import io.autoheal.bootstrap.BootstrapRecord.Phase;
import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The bootstrapper client against real HTTP servers on loopback, including every bad answer. */
class BootstrapperClientTest {
    HttpServer server;
    final AtomicReference<String> lastBody = new AtomicReference<>();
    final AtomicReference<String> lastAuth = new AtomicReference<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** A server whose POST and GET answers are fixed; delayMillis makes it slow. */
    BootstrapperClient serve(int status, String body, long delayMillis) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            lastBody.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            lastAuth.set(ex.getRequestHeaders().getFirst("Authorization"));
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                ex.getResponseBody().write(bytes);
            }
            ex.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return new BootstrapperClient(URI.create(base + "/ansible/role/"), base + "/ansible/results/{jobId}",
                BootstrapperClient.authorization(Map.of("username", "ops", "password", "pw")), Optional.empty(),
                Duration.ofMillis(500), Duration.ofMillis(300));
    }

    @Test
    void postsTheSeedsFormFieldsWithCredentials() throws Exception {
        BootstrapperClient client = serve(200, "4df8aee9-ab0e-4152-973a-b227ddac91a1\n", 0);
        TriggerResult r = client.trigger("10.0.0.5", List.of("voip", "db"), "staging", Map.of("release", "2026.11"));
        assertThat(r.jobId()).isEqualTo("4df8aee9-ab0e-4152-973a-b227ddac91a1");
        assertThat(lastBody.get()).contains("host=10.0.0.5").contains("role=voip%2Cdb").contains("env=staging")
                .contains("extra_vars=%7B%22release%22%3A%222026.11%22%7D");
        assertThat(lastAuth.get()).isEqualTo("Basic b3BzOnB3");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "JSON id|{\"id\": \"abc-1\"}|abc-1",
            "JSON job_id number|{\"job_id\": 42}|42",
            "quoted text|\"abc-2\"|abc-2"})
    void acceptsJobIdsInTheUsualShapes(String name, String body, String id) throws Exception {
        assertThat(serve(200, body, 0).trigger("10.0.0.5", List.of("voip"), "staging", Map.of()).jobId()).isEqualTo(id);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "non-2xx|500|boom|HttpStatus",
            "empty body|200||EmptyBody",
            "garbage JSON|200|{\"oops\": [1,2|Unparseable",
            "JSON without id|200|{\"queued\": true}|Unparseable",
            "multi-line garbage|200|<html>\\n<body>error</body>|Unparseable"})
    void badTriggerAnswersAreReasonsNotExceptions(String name, int status, String body, Failure failure) throws Exception {
        TriggerResult r = serve(status, body == null ? "" : body.replace("\\n", "\n"), 0).trigger("10.0.0.5", List.of("voip"), "staging", Map.of());
        assertThat(r.ok()).isFalse();
        assertThat(r.failure()).isEqualTo(failure);
        assertThat(r.message()).isNotBlank().doesNotContain("pw");
    }

    @Test
    void slowAnswersTimeOut() throws Exception {
        TriggerResult r = serve(200, "job-1", 1500).trigger("10.0.0.5", List.of("voip"), "staging", Map.of());
        assertThat(r.failure()).isEqualTo(Failure.Timeout);
    }

    @Test
    void refusedConnectionsAreReported() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        BootstrapperClient client = new BootstrapperClient(URI.create("http://127.0.0.1:" + port + "/ansible/role/"),
                "http://127.0.0.1:" + port + "/ansible/results/{jobId}", Optional.empty(), Optional.empty(), Duration.ofMillis(500), Duration.ofMillis(500));
        assertThat(client.trigger("10.0.0.5", List.of("voip"), "staging", Map.of()).failure()).isEqualTo(Failure.ConnectionRefused);
        assertThat(client.status("job-1").failure()).isEqualTo(Failure.ConnectionRefused);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"status\": \"in-queue\"}|Queued", "{\"status\": \"waiting\"}|Running", "{\"status\": \"failed\"}|Failed",
            "{\"status\": \"pending\"}|Queued", "{\"status\": \"running\"}|Running", "{\"status\": \"successful\"}|Succeeded",
            "{\"status\": \"error\"}|Failed", "{\"status\": \"canceled\"}|Failed",
            "{\"127.0.0.1\": {\"ok\": 2, \"failures\": 0}}|Succeeded", "Job OK|Succeeded"})
    void mapsTheSeedsAndAwxStatesToPhases(String body, Phase phase) {
        assertThat(BootstrapperClient.parseStatus(body).phase()).isEqualTo(phase);
    }

    @Test
    void unknownStatusWordsAndBadStatusAnswersAreUnknownNotSuccess() throws Exception {
        assertThat(BootstrapperClient.parseStatus("{\"status\": \"exploding\"}").failure()).isEqualTo(Failure.Unparseable);
        assertThat(BootstrapperClient.parseStatus("   ").failure()).isEqualTo(Failure.EmptyBody);
        assertThat(serve(503, "busy", 0).status("job-1").failure()).isEqualTo(Failure.HttpStatus);
    }

    @Test
    void talksTlsWithACustomCa(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder("keytool", "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).isZero();
        Process export = new ProcessBuilder("keytool", "-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-file", dir.resolve("ca.pem").toString()).redirectErrorStream(true).start();
        assertThat(export.waitFor()).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(keystore.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(ssl));
        https.createContext("/", ex -> {
            byte[] b = "tls-job".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        https.start();
        server = https;
        String base = "https://127.0.0.1:" + https.getAddress().getPort();
        String ca = Files.readString(dir.resolve("ca.pem"));
        BootstrapperClient trusting = new BootstrapperClient(URI.create(base + "/ansible/role/"), base + "/r/{jobId}", Optional.empty(),
                Optional.of(ca), Duration.ofSeconds(2), Duration.ofSeconds(2));
        assertThat(trusting.trigger("10.0.0.5", List.of("voip"), "staging", Map.of()).jobId()).isEqualTo("tls-job");
        BootstrapperClient untrusting = new BootstrapperClient(URI.create(base + "/ansible/role/"), base + "/r/{jobId}", Optional.empty(),
                Optional.empty(), Duration.ofSeconds(2), Duration.ofSeconds(2));
        assertThat(untrusting.trigger("10.0.0.5", List.of("voip"), "staging", Map.of()).failure()).isEqualTo(Failure.Tls);
    }
}
