package io.autoheal.health.probe;

import io.autoheal.api.v1alpha1.ProbeSpec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Probes with Vert.x' non-blocking clients: HTTP GET (2xx/3xx pass; HTTPS without certificate checks, the probe tests
 * liveness, not identity), TCP connect, SIP OPTIONS over UDP or TCP. Every probe has a hard deadline of timeoutSeconds
 * (its timer closes whatever is still open) and reads at most {@link #MAX_ANSWER} bytes: an HTTP answer's status line
 * only (headers and body are never read), a SIP answer's first line.
 */
public final class VertxProbeConnector implements ProbeConnector {
    static final int MAX_ANSWER = 4096;
    private final Vertx vertx;
    private static final java.util.regex.Pattern STATUS_LINE = java.util.regex.Pattern.compile("HTTP/1\\.[01] ([0-9]{3})");
    private final NetClient tcp;
    private final NetClient tls;

    public VertxProbeConnector(Vertx vertx) {
        this.vertx = vertx;
        // the probe's own timer bounds every probe; the clients' connect timeout is only a backstop
        this.tcp = vertx.createNetClient(new NetClientOptions().setConnectTimeout(60_000));
        this.tls = vertx.createNetClient(new NetClientOptions().setConnectTimeout(60_000).setSsl(true).setTrustAll(true)
                .setHostnameVerificationAlgorithm(""));
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

    /**
     * A plain HTTP/1.1 GET on its own connection (Connection: close) through the TCP client, read up to the status line:
     * no connection pool per machine (10,000 machines would make 10,000 pools), nothing of the body is read.
     */
    private void http(ProbeSpec spec, String address, Once once) {
        NetClient client = spec.http.scheme == ProbeSpec.Scheme.HTTPS ? tls : tcp;
        String host = address.contains(":") ? "[" + address + "]" : address;
        String request = "GET " + (spec.http.path == null ? "/" : spec.http.path) + " HTTP/1.1\r\nHost: " + host + ":" + spec.http.port
                + "\r\nUser-Agent: autoheal-operator-probe\r\nAccept: */*\r\nConnection: close\r\n\r\n";
        client.connect(spec.http.port, address).onFailure(e -> once.fail(describe(e))).onSuccess(socket -> {
            once.onEnd(socket::close);
            Buffer answer = Buffer.buffer();
            socket.handler(b -> {
                answer.appendBuffer(b.length() > MAX_ANSWER ? b.slice(0, MAX_ANSWER) : b);
                judgeHttp(answer, once);
            });
            socket.closeHandler(v -> once.fail(answer.length() == 0 ? "connection closed without an answer" : "not an HTTP answer"));
            socket.exceptionHandler(e -> once.fail(describe(e)));
            socket.write(Buffer.buffer(request.getBytes(StandardCharsets.US_ASCII)));
        });
    }

    /** Decides on the status line's first 12 bytes ("HTTP/1.1 503"), as soon as they are there. */
    private static void judgeHttp(Buffer answer, Once once) {
        if (answer.length() < 12) {
            return; // the rest comes; the probe's timer bounds the wait
        }
        java.util.regex.Matcher m = STATUS_LINE.matcher(answer.getString(0, 12, "US-ASCII"));
        if (!m.matches()) {
            once.fail("not an HTTP answer");
            return;
        }
        int code = Integer.parseInt(m.group(1));
        if (code >= 200 && code < 400) {
            once.pass();
        } else {
            once.fail("HTTP " + code);
        }
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
        String callId = SipOptions.newCallId();
        socket.handler(packet -> {
            // the socket listens on every interface: only the probed port answering this request (its Call-ID) counts, any
            // other datagram (another port, a late answer to an earlier probe) is ignored, the timeout still applies. The
            // sender address is not compared: a multi-homed SIP stack may answer from another of its addresses.
            if (packet.sender().port() != port) {
                return;
            }
            Buffer data = packet.data();
            String text = data.getString(0, Math.min(data.length(), MAX_ANSWER), "US-ASCII");
            byte[] head = data.getBytes(0, Math.min(data.length(), 12));
            if (!SipOptions.isResponse(head, head.length)) {
                once.fail("not a SIP answer");
            } else if (SipOptions.hasCallId(text, callId)) {
                once.pass();
            }
        });
        String any = address.contains(":") ? "::" : "0.0.0.0";
        socket.listen(0, any).onFailure(e -> once.fail(describe(e))).onSuccess(s ->
                s.send(Buffer.buffer(SipOptions.request(address, port, "UDP", callId)), port, address).onFailure(e -> once.fail(describe(e))));
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
