package io.autoheal.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** https with a private CA: trusted only through caPem. Certificates are made at test time with keytool. */
class HttpBootstrapRunnerTlsTest {
    static final char[] PASS = "changeit".toCharArray();
    static final BootstrapRequest REQUEST = new BootstrapRequest("i-0abc", "10.0.1.17", List.of("voip"), "staging", Map.of(), 1);
    @TempDir
    static Path dir;
    static TestBootstrapper server;
    static String serverPem;
    static String otherPem;

    @BeforeAll
    static void start() throws Exception {
        serverPem = selfSigned("server");
        otherPem = selfSigned("other");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
            ks.load(in, PASS);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASS);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = TestBootstrapper.startHttps(tls);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A self-signed certificate for 127.0.0.1 in name.p12; returns it as PEM. */
    static String selfSigned(String name) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path store = dir.resolve(name + ".p12");
        run(keytool.toString(), "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASS), "-keypass", new String(PASS));
        Path pem = dir.resolve(name + ".pem");
        run(keytool.toString(), "-exportcert", "-rfc", "-alias", name, "-keystore", store.toString(), "-storepass", new String(PASS),
                "-file", pem.toString());
        return Files.readString(pem);
    }

    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    HttpBootstrapRunner runner(Optional<String> caPem) {
        return new HttpBootstrapRunner(new HttpBootstrapConfig(URI.create(server.url()), server.statusUrl(), new Credentials.Bearer("t0ken"),
                Duration.ofSeconds(2), Duration.ofSeconds(5), caPem), BootstrapFixtures.ANY_HOST);
    }

    @Test
    void theCustomCaIsTrusted() {
        HttpBootstrapRunner runner = runner(Optional.of(serverPem));
        TriggerResult result = runner.trigger(REQUEST);
        assertThat(result.ok()).as(String.valueOf(result)).isTrue();
        assertThat(runner.status(result.jobId(), REQUEST.host()).phase()).isEqualTo(BootstrapPhase.Queued);
        assertThat(server.posts()).last().extracting(TestBootstrapper.Post::authorization).isEqualTo("Bearer t0ken");
    }

    @Test
    void withoutTheCaTheHandshakeFails() {
        TriggerResult result = runner(Optional.empty()).trigger(REQUEST);
        assertThat(result.failure()).isEqualTo(BootstrapFailure.Tls);
        assertThat(result.kind()).as("the handshake fails before the body goes out: no job, no attempt").isEqualTo(TriggerResult.Kind.NOT_STARTED);
        assertThat(result.message()).doesNotContain("t0ken");
    }

    @Test
    void anotherCaIsNotEnough() {
        HttpBootstrapRunner runner = runner(Optional.of(otherPem));
        assertThat(runner.trigger(REQUEST).failure()).isEqualTo(BootstrapFailure.Tls);
        assertThat(runner.status("job-1", REQUEST.host()).failure()).isEqualTo(BootstrapFailure.Tls);
    }

    @Test
    void aCaBundleThatIsNotPemIsATlsFailureNotAnException() {
        HttpBootstrapRunner runner = runner(Optional.of("-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n"));
        TriggerResult result = runner.trigger(REQUEST);
        assertThat(result.failure()).isEqualTo(BootstrapFailure.Tls);
        assertThat(result.message()).contains("CA bundle");
        assertThat(runner.status("job-1", REQUEST.host()).failure()).isEqualTo(BootstrapFailure.Tls);
    }

    /**
     * The connection goes to the checked address while TLS checks the URL's name: the certificate names localhost and
     * 127.0.0.1, so a name it does not carry fails even though the address it connects to is 127.0.0.1.
     */
    @Test
    void theCertificateIsCheckedAgainstTheNameNotTheConnectedAddress() {
        int port = URI.create(server.url()).getPort();
        RequestGuard pinned = (field, uri) -> new RequestGuard.Go(java.util.List.of(BootstrapHostPolicyTest.ip("127.0.0.1")));
        for (String name : new String[] {"localhost", "boot.test"}) {
            String base = "https://" + name + ":" + port;
            HttpBootstrapRunner runner = new HttpBootstrapRunner(new HttpBootstrapConfig(URI.create(base + "/ansible/role/"),
                    base + "/ansible/results/{jobId}", Credentials.none(), Duration.ofSeconds(2), Duration.ofSeconds(5), Optional.of(serverPem)),
                    pinned);
            TriggerResult result = runner.trigger(REQUEST);
            if (name.equals("localhost")) {
                assertThat(result.ok()).as(String.valueOf(result)).isTrue();
            } else {
                assertThat(result.failure()).as(String.valueOf(result)).isEqualTo(BootstrapFailure.Tls);
                assertThat(result.kind()).isEqualTo(TriggerResult.Kind.NOT_STARTED);
            }
        }
    }
}
