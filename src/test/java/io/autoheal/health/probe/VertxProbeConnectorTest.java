package io.autoheal.health.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.ProbeSpec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.PfxOptions;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real connector against local listeners on 127.0.0.1 only (nothing else is ever connected to). */
class VertxProbeConnectorTest {
    static final String LOOPBACK = "127.0.0.1";
    static Vertx vertx;
    static VertxProbeConnector connector;
    static int httpPort;
    static int httpsPort;
    static int tcpPort;
    static int sipUdpPort;
    static int sipTcpPort;
    static int silentUdpPort;
    static int junkPort;
    static final List<String> sipRequests = new CopyOnWriteArrayList<>();
    static int forwardedUdpPort;
    static int strayUdpPort;

    /** A 200 echoing the request's Call-ID (or {@code callId} instead), as a SIP stack answers. */
    static Buffer sipAnswer(String request, String callId) {
        String echoed = request.lines().filter(l -> l.startsWith("Call-ID: ")).findFirst().orElse("Call-ID: none");
        return Buffer.buffer("SIP/2.0 200 OK\r\n" + (callId == null ? echoed : "Call-ID: " + callId) + "\r\nContent-Length: 0\r\n\r\n");
    }

    @BeforeAll
    static void listeners() throws Exception {
        vertx = Vertx.vertx();
        connector = new VertxProbeConnector(vertx);
        HttpServer http = vertx.createHttpServer().requestHandler(req -> {
            switch (req.path()) {
                case "/ok" -> req.response().end("fine");
                case "/moved" -> req.response().setStatusCode(302).putHeader("Location", "/ok").end();
                case "/bad" -> req.response().setStatusCode(503).end();
                case "/endless" -> req.response().setChunked(true).write(Buffer.buffer(new byte[64 * 1024])); // never ends
                default -> { } // /hang: no answer at all
            }
        });
        httpPort = http.listen(0, LOOPBACK).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).actualPort();
        HttpServer https = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(selfSigned()))
                .requestHandler(req -> req.response().end("tls"));
        httpsPort = https.listen(0, LOOPBACK).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).actualPort();
        NetServer tcp = vertx.createNetServer().connectHandler(s -> { });
        tcpPort = tcp.listen(0, LOOPBACK).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).actualPort();
        DatagramSocket sip = vertx.createDatagramSocket();
        sip.handler(p -> {
            sipRequests.add(p.data().toString(StandardCharsets.US_ASCII));
            sip.send(sipAnswer(p.data().toString(StandardCharsets.US_ASCII), null), p.sender().port(), p.sender().host());
        });
        sipUdpPort = sip.listen(0, LOOPBACK).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).localAddress().port();
        DatagramSocket forger = vertx.createDatagramSocket(); // answers the right Call-ID, but from another port
        forger.listen(0, LOOPBACK).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        DatagramSocket forwarded = vertx.createDatagramSocket();
        forwarded.handler(p -> forger.send(sipAnswer(p.data().toString(StandardCharsets.US_ASCII), null), p.sender().port(), p.sender().host()));
        forwardedUdpPort = forwarded.listen(0, LOOPBACK).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).localAddress().port();
        DatagramSocket stray = vertx.createDatagramSocket(); // the right port, someone else's Call-ID (a late answer)
        stray.handler(p -> stray.send(sipAnswer(p.data().toString(StandardCharsets.US_ASCII), "1234@elsewhere.invalid"), p.sender().port(), p.sender().host()));
        strayUdpPort = stray.listen(0, LOOPBACK).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).localAddress().port();
        DatagramSocket silent = vertx.createDatagramSocket();
        silentUdpPort = silent.listen(0, LOOPBACK).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).localAddress().port();
        NetServer sipTcp = vertx.createNetServer().connectHandler(s -> s.handler(b -> {
            if (b.toString(StandardCharsets.US_ASCII).startsWith("OPTIONS ")) {
                s.write(Buffer.buffer("SIP/2.0 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n"));
            }
        }));
        NetServer junk = vertx.createNetServer().connectHandler(sock -> sock.handler(b -> sock.write("220 smtp.invalid ESMTP ready\r\n")));
        junkPort = junk.listen(0, LOOPBACK).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).actualPort();
        sipTcpPort = sipTcp.listen(0, LOOPBACK).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).actualPort();
    }

    /** A self-signed certificate no one trusts, made with keytool (Netty's generator needs BouncyCastle). */
    static PfxOptions selfSigned() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("probe-tls");
        java.nio.file.Path store = dir.resolve("machine.p12");
        Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "machine", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=machine.invalid", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return new PfxOptions().setPath(store.toString()).setPassword("changeit");
    }

    @AfterAll
    static void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    static ProbeSpec http(int port, String path, ProbeSpec.Scheme scheme) {
        ProbeSpec p = new ProbeSpec();
        p.name = "web";
        p.http = new ProbeSpec.HttpProbe();
        p.http.port = port;
        p.http.path = path;
        p.http.scheme = scheme;
        return p;
    }

    static ProbeSpec tcp(int port) {
        ProbeSpec p = new ProbeSpec();
        p.name = "tcp";
        p.tcp = new ProbeSpec.TcpProbe();
        p.tcp.port = port;
        return p;
    }

    static ProbeSpec sip(int port, ProbeSpec.Transport transport) {
        ProbeSpec p = new ProbeSpec();
        p.name = "sip";
        p.sip = new ProbeSpec.SipProbe();
        p.sip.port = port;
        p.sip.transport = transport;
        return p;
    }

    /** The error, or empty for a success; fails the test if no answer comes within the timeout plus margin. */
    static Optional<String> probe(ProbeSpec spec) throws Exception {
        CompletableFuture<Optional<String>> answer = new CompletableFuture<>();
        long started = System.nanoTime();
        connector.probe(spec, LOOPBACK, error -> answer.complete(Optional.ofNullable(error)));
        Optional<String> result = answer.get(spec.timeoutSeconds + 2L, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(spec.timeoutSeconds * 1000L + 500);
        return result;
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(LOOPBACK))) {
            return s.getLocalPort();
        }
    }

    @Test
    void httpTwoAndThreeHundredsPassOthersFailWithTheirCode() throws Exception {
        assertThat(probe(http(httpPort, "/ok", ProbeSpec.Scheme.HTTP))).isEmpty();
        assertThat(probe(http(httpPort, "/moved", ProbeSpec.Scheme.HTTP))).isEmpty();
        assertThat(probe(http(httpPort, "/bad", ProbeSpec.Scheme.HTTP))).contains("HTTP 503");
    }

    @Test
    void httpsWithoutCertificateChecks() throws Exception {
        ProbeSpec https = http(httpsPort, "/", ProbeSpec.Scheme.HTTPS);
        https.timeoutSeconds = 5; // the first TLS handshake of a fresh JVM is slow
        assertThat(probe(https)).isEmpty();
    }

    @Test
    void noAnswerWithinTheTimeoutFailsAndAnEndlessBodyIsNotRead() throws Exception {
        assertThat(probe(http(httpPort, "/hang", ProbeSpec.Scheme.HTTP))).contains("timeout after 1s");
        assertThat(probe(http(httpPort, "/endless", ProbeSpec.Scheme.HTTP))).as("the status decides, the body is never read").isEmpty();
    }

    @Test
    void tcpConnectsOrIsRefused() throws Exception {
        assertThat(probe(tcp(tcpPort))).isEmpty();
        assertThat(probe(tcp(freePort()))).contains("connection refused");
        assertThat(probe(http(freePort(), "/", ProbeSpec.Scheme.HTTP))).contains("connection refused");
    }

    @Test
    void sipOptionsOverUdpGetsAnAnswerAndIsWellFormed() throws Exception {
        assertThat(probe(sip(sipUdpPort, ProbeSpec.Transport.UDP))).isEmpty();
        assertThat(sipRequests).last().asString().startsWith("OPTIONS sip:127.0.0.1:" + sipUdpPort + " SIP/2.0\r\n")
                .contains("\r\nVia: SIP/2.0/UDP ", ";branch=z9hG4bK", "\r\nCSeq: 1 OPTIONS\r\n", "\r\nCall-ID: ", "\r\nMax-Forwards: 70\r\n")
                .endsWith("Content-Length: 0\r\n\r\n");
    }

    @Test
    void sipWithoutAnAnswerTimesOut() throws Exception {
        assertThat(probe(sip(silentUdpPort, ProbeSpec.Transport.UDP))).contains("timeout after 1s");
    }

    @Test
    void sipOverUdpCountsOnlyTheProbedPortsAnswerToThisRequest() throws Exception {
        assertThat(probe(sip(forwardedUdpPort, ProbeSpec.Transport.UDP))).as("an answer from another port").contains("timeout after 1s");
        assertThat(probe(sip(strayUdpPort, ProbeSpec.Transport.UDP))).as("an answer with another Call-ID").contains("timeout after 1s");
        assertThat(probe(sip(sipUdpPort, ProbeSpec.Transport.UDP))).as("the real answer still passes").isEmpty();
    }

    @Test
    void sipOverTcpAnyResponseIsAlive() throws Exception {
        assertThat(probe(sip(sipTcpPort, ProbeSpec.Transport.TCP))).as("a 405 still proves the SIP stack answers").isEmpty();
        assertThat(probe(sip(junkPort, ProbeSpec.Transport.TCP))).as("something else answering is no SIP stack").contains("not a SIP answer");
        assertThat(probe(sip(tcpPort, ProbeSpec.Transport.TCP))).as("a silent listener").contains("timeout after 1s");
    }
}
