package io.autoheal.bootstrap;

import static io.autoheal.bootstrap.BootstrapHostPolicyTest.allow;
import static io.autoheal.bootstrap.BootstrapHostPolicyTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.testing.CountingListener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Connect to the address that was checked (issue 23, DNS rebinding): the guard resolves the host once, and the
 * request goes to that answer. The names end in .test (RFC 6761): the JVM's own resolver cannot resolve them, so a
 * request that arrives at all went to the address the guard's resolver answered and checked, with the name kept in
 * the Host header.
 */
class PinnedConnectionTest {
    static final String NAME = "boot.test";

    /** Only 127.0.0.3 is an allowed destination; boot.test is allowed to be internal (loopback) but stays within it. */
    static BootstrapUrlGuard guard(List<String> answers, AtomicInteger lookups) {
        return new BootstrapUrlGuard(allow(null, NAME).within(OutboundCidrs.parse(List.of("127.0.0.3/32"))), Set::of, host -> {
            if (!host.equals(NAME)) {
                return List.of();
            }
            int n = lookups.getAndIncrement();
            return List.of(ip(answers.get(Math.min(n, answers.size() - 1))));
        });
    }

    static HttpBootstrapRunner runner(int port, RequestGuard guard) {
        String base = "http://" + NAME + ":" + port;
        return new HttpBootstrapRunner(new HttpBootstrapConfig(URI.create(base + "/ansible/role/"), base + "/ansible/results/{jobId}",
                Credentials.none(), Duration.ofSeconds(1), Duration.ofSeconds(2), Optional.empty()), guard);
    }

    @Test
    void theRequestGoesToTheCheckedAddressWithTheNameAsHost() throws Exception {
        try (HeadRecorder allowed = new HeadRecorder("127.0.0.3", 0)) {
            AtomicInteger lookups = new AtomicInteger();
            HttpBootstrapRunner runner = runner(allowed.port(), guard(List.of("127.0.0.3"), lookups));

            TriggerResult trigger = runner.trigger(HttpBootstrapRunnerTest.REQUEST);

            assertThat(trigger.ok()).as(String.valueOf(trigger)).isTrue();
            assertThat(trigger.jobId()).isEqualTo("job-1");
            assertThat(allowed.heads()).singleElement().satisfies(head -> {
                assertThat(head).startsWith("POST /ansible/role/ HTTP/1.1");
                assertThat(head).contains("Host: " + NAME + ":" + allowed.port());
            });
            assertThat(lookups.get()).as("resolved once, by the guard").isEqualTo(1);
        }
    }

    /**
     * The name first resolves to the allowed 127.0.0.3, then (rebound) to 127.0.0.2, outside the allowed CIDRs. The
     * first request reaches 127.0.0.3; the second is refused and nothing ever connects to 127.0.0.2, on the same port.
     */
    @Test
    void aNameReboundToAForbiddenAddressIsNeverConnectedTo() throws Exception {
        try (HeadRecorder allowed = new HeadRecorder("127.0.0.3", 0);
                HeadRecorder forbidden = new HeadRecorder("127.0.0.2", allowed.port())) {
            AtomicInteger lookups = new AtomicInteger();
            HttpBootstrapRunner runner = runner(allowed.port(), guard(List.of("127.0.0.3", "127.0.0.2"), lookups));

            TriggerResult first = runner.trigger(HttpBootstrapRunnerTest.REQUEST);
            JobStatus second = runner.status("job-1", HttpBootstrapRunnerTest.HOST);

            assertThat(first.ok()).isTrue();
            assertThat(second.failure()).isEqualTo(BootstrapFailure.UrlRefused);
            assertThat(second.message()).contains("127.0.0.2");
            assertThat(allowed.heads()).hasSize(1);
            assertThat(forbidden.connections()).isZero();
            assertThat(lookups.get()).isEqualTo(2);
        }
    }

    @Test
    void aNameResolvingToAForbiddenAddressFromTheStartGetsNoConnection() throws Exception {
        try (CountingListener forbidden = new CountingListener("127.0.0.2")) {
            HttpBootstrapRunner runner = runner(forbidden.port(), guard(List.of("127.0.0.2"), new AtomicInteger()));
            TriggerResult trigger = runner.trigger(HttpBootstrapRunnerTest.REQUEST);
            assertThat(trigger.failure()).isEqualTo(BootstrapFailure.UrlRefused);
            assertThat(trigger.kind()).isEqualTo(TriggerResult.Kind.NOT_STARTED);
            assertThat(forbidden.connections()).isZero();
        }
    }

    /** Every address answered is tried in turn (all of them checked): a dead first one does not end the call. */
    @Test
    void theNextCheckedAddressIsTriedWhenTheFirstRefuses() throws Exception {
        try (HeadRecorder allowed = new HeadRecorder("127.0.0.3", 0)) {
            PinnedHttp http = new PinnedHttp(null, Duration.ofSeconds(1), Duration.ofSeconds(2), BoundedBody.LIMIT);
            // nothing listens on 127.0.0.4 at that port: refused, then 127.0.0.3 answers
            PinnedHttp.Response r = http.exchange(new PinnedHttp.Request("GET", URI.create("http://" + NAME + ":" + allowed.port() + "/x"),
                    java.util.Map.of(), null), List.of(ip("127.0.0.4"), ip("127.0.0.3")), () -> { });
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("job-1");
            assertThat(allowed.heads()).singleElement().satisfies(head -> assertThat(head).startsWith("GET /x HTTP/1.1"));
        }
    }

    /** Answers every request with 200 "job-1" and records its head (request line and headers). */
    static final class HeadRecorder implements AutoCloseable {
        private final ServerSocket socket;
        private final AtomicInteger connections = new AtomicInteger();
        private final List<String> heads = Collections.synchronizedList(new ArrayList<>());

        HeadRecorder(String address, int port) throws IOException {
            socket = new ServerSocket(port, 50, InetAddress.getByName(address));
            Thread t = new Thread(this::serve, "head-recorder-" + address);
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        List<String> heads() {
            return List.copyOf(heads);
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    connections.incrementAndGet();
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                    StringBuilder head = new StringBuilder();
                    int length = 0;
                    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                        head.append(line).append('\n');
                        if (line.toLowerCase().startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    in.skip(length);
                    heads.add(head.toString());
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\njob-1".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    if (socket.isClosed()) {
                        return;
                    }
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
