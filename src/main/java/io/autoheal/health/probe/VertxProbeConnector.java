package io.autoheal.health.probe;

import io.autoheal.api.v1alpha1.ProbeSpec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.net.ConnectException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Probes with Vert.x' non-blocking clients: HTTP GET (2xx/3xx pass; HTTPS without certificate checks, the probe tests
 * liveness, not identity), TCP connect, SIP OPTIONS over UDP or TCP. Every probe has a hard deadline of timeoutSeconds
 * (its timer closes whatever is still open) and reads at most {@link #MAX_ANSWER} bytes: an HTTP answer's status line and
 * headers only (the body is never read), a SIP answer's first line.
 */
public final class VertxProbeConnector implements ProbeConnector {
    static final int MAX_ANSWER = 4096;
    private final Vertx vertx;
    private final HttpClient http;
    private final HttpClient https;
    private final NetClient tcp;

    public VertxProbeConnector(Vertx vertx) {
        this.vertx = vertx;
        HttpClientOptions plain = new HttpClientOptions().setKeepAlive(false).setMaxPoolSize(1024).setMaxWaitQueueSize(4096)
                .setMaxInitialLineLength(MAX_ANSWER).setMaxHeaderSize(MAX_ANSWER).setConnectTimeout(60_000);
        this.http = vertx.createHttpClient(plain);
        this.https = vertx.createHttpClient(new HttpClientOptions(plain).setSsl(true).setTrustAll(true).setVerifyHost(false));
        this.tcp = vertx.createNetClient(new NetClientOptions().setConnectTimeout(60_000));
    }

    @Override
    public void probe(ProbeSpec spec, String address, Consumer<String> done) {
        Once once = new Once(done);
        long timer = vertx.setTimer(spec.timeoutSeconds * 1000L, t -> once.fail("timeout after " + spec.timeoutSeconds + "s"));
        once.onEnd(() -> vertx.cancelTimer(timer));
        try {
            if (spec.http != null) {
                http(spec, address, once);
            } else if (spec.tcp != null) {
                tcp(spec.tcp.port, address, once);
            } else if (spec.sip != null && spec.sip.transport == ProbeSpec.Transport.TCP) {
                sipTcp(spec.sip.port, address, once);
            } else if (spec.sip != null) {
                sipUdp(spec.sip.port, address, once);
            } else {
                once.fail("no probe kind set");
            }
        } catch (RuntimeException e) {
            once.fail(describe(e));
        }
    }

    private void http(ProbeSpec spec, String address, Once once) {
        HttpClient client = spec.http.scheme == ProbeSpec.Scheme.HTTPS ? https : http;
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(address).setPort(spec.http.port)
                .setURI(spec.http.path == null ? "/" : spec.http.path).putHeader("User-Agent", "autoheal-operator-probe")
                .setSsl(spec.http.scheme == ProbeSpec.Scheme.HTTPS);
        client.request(options).onFailure(e -> once.fail(describe(e))).onSuccess(req -> {
            req.exceptionHandler(e -> once.fail(describe(e)));
            once.onEnd(() -> req.reset());
            req.send().onFailure(e -> once.fail(describe(e))).onSuccess(resp -> {
                resp.exceptionHandler(e -> { }); // the reset below ends the stream on purpose
                int code = resp.statusCode();
                if (code >= 200 && code < 400) {
                    once.pass();
                } else {
                    once.fail("HTTP " + code);
                }
                req.reset(); // the body is never read: the connection goes
            });
        });
    }

    private void tcp(int port, String address, Once once) {
        tcp.connect(port, address).onFailure(e -> once.fail(describe(e))).onSuccess(socket -> {
            socket.close();
            once.pass();
        });
    }

    private void sipTcp(int port, String address, Once once) {
        tcp.connect(port, address).onFailure(e -> once.fail(describe(e))).onSuccess(socket -> {
            once.onEnd(socket::close);
            Buffer answer = Buffer.buffer();
            socket.handler(b -> {
                answer.appendBuffer(b.length() > MAX_ANSWER ? b.slice(0, MAX_ANSWER) : b);
                judgeSip(answer, once, socket);
            });
            socket.closeHandler(v -> once.fail("connection closed without a SIP answer"));
            socket.write(Buffer.buffer(SipOptions.request(address, port, "TCP")));
        });
    }

    private static void judgeSip(Buffer answer, Once once, NetSocket socket) {
        if (answer.length() >= 12 || answer.length() >= MAX_ANSWER) {
            byte[] bytes = answer.getBytes(0, Math.min(answer.length(), 12));
            if (SipOptions.isResponse(bytes, bytes.length)) {
                once.pass();
            } else {
                once.fail("not a SIP answer");
            }
            socket.close();
        }
    }

    private void sipUdp(int port, String address, Once once) {
        DatagramSocket socket = vertx.createDatagramSocket(new DatagramSocketOptions().setIpV6(address.contains(":")));
        once.onEnd(socket::close);
        socket.exceptionHandler(e -> once.fail(describe(e)));
        socket.handler(packet -> {
            Buffer data = packet.data();
            byte[] head = data.getBytes(0, Math.min(data.length(), 12));
            if (SipOptions.isResponse(head, head.length)) {
                once.pass();
            } else {
                once.fail("not a SIP answer");
            }
        });
        String any = address.contains(":") ? "::" : "0.0.0.0";
        socket.listen(0, any).onFailure(e -> once.fail(describe(e))).onSuccess(s ->
                s.send(Buffer.buffer(SipOptions.request(address, port, "UDP")), port, address).onFailure(e -> once.fail(describe(e))));
    }

    /** Short, stable error texts for status and Events. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (root instanceof ConnectException || message.contains("Connection refused")) {
            return "connection refused";
        }
        if (message.contains("Port unreachable") || message.contains("PortUnreachable")) {
            return "port unreachable";
        }
        return message.length() > 120 ? message.substring(0, 120) : message;
    }

    /** The probe's one answer: the first of pass, fail or timeout wins; then whatever is still open is closed. */
    private static final class Once {
        private final Consumer<String> done;
        private final AtomicBoolean ended = new AtomicBoolean();
        private final java.util.List<Runnable> cleanups = new java.util.concurrent.CopyOnWriteArrayList<>();

        Once(Consumer<String> done) {
            this.done = done;
        }

        void onEnd(Runnable cleanup) {
            cleanups.add(cleanup);
            if (ended.get()) {
                safely(cleanup); // ended meanwhile: close it now (closing twice is harmless)
            }
        }

        void pass() {
            end(null);
        }

        void fail(String error) {
            end(error);
        }

        private void end(String error) {
            if (ended.compareAndSet(false, true)) {
                cleanups.forEach(Once::safely);
                done.accept(error);
            }
        }

        private static void safely(Runnable r) {
            try {
                r.run();
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
    }
}
