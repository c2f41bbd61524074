package io.autoheal.health;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machines' services for probe tests: one HTTP server, one TCP listener and one SIP OPTIONS responder (UDP), each on
 * a free port of every local address (moto's Elastic IPs are in 127.0.0.0/8, all routed to loopback). Each tells which
 * machine was probed from the address it was reached on (HTTP, TCP) or the Request-URI (SIP over UDP, where a socket
 * bound to all addresses does not see the packet's destination). Only listens: it sends nothing but SIP answers to the
 * probe that asked.
 */
final class LoopbackServices implements AutoCloseable {
    private static final Pattern REQUEST_URI = Pattern.compile("^OPTIONS sip:([0-9.]+):[0-9]+ SIP/2\\.0\r\n");
    final Map<String, AtomicInteger> httpHits = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> tcpHits = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> sipHits = new ConcurrentHashMap<>();
    /** Addresses whose HTTP service answers 503. */
    final Set<String> http503 = ConcurrentHashMap.newKeySet();
    /** Addresses whose HTTP service answers 503, decided per request (e.g. by the instance type of the machine holding it). */
    volatile Predicate<String> http503When = address -> false;
    /** Addresses whose SIP stack is hung (no answer). */
    final Set<String> sipSilent = ConcurrentHashMap.newKeySet();
    private final HttpServer http;
    private final ServerSocket tcp;
    private final DatagramSocket sip;
    private volatile boolean open = true;

    LoopbackServices() throws IOException {
        http = HttpServer.create(new InetSocketAddress(0), 64);
        http.createContext("/", exchange -> {
            String probed = exchange.getLocalAddress().getAddress().getHostAddress();
            httpHits.computeIfAbsent(probed, k -> new AtomicInteger()).incrementAndGet();
            exchange.sendResponseHeaders(http503.contains(probed) || http503When.test(probed) ? 503 : 200, -1);
            exchange.close();
        });
        http.start();
        tcp = new ServerSocket();
        tcp.bind(new InetSocketAddress(0), 64);
        daemon("probe-test-tcp", () -> {
            while (open) {
                try (Socket s = tcp.accept()) {
                    tcpHits.computeIfAbsent(s.getLocalAddress().getHostAddress(), k -> new AtomicInteger()).incrementAndGet();
                } catch (IOException e) {
                    // closed
                }
            }
        });
        sip = new DatagramSocket(new InetSocketAddress(0));
        daemon("probe-test-sip", this::answerSip);
    }

    private void answerSip() {
        byte[] buffer = new byte[4096];
        while (open) {
            try {
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                sip.receive(p);
                String request = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
                Matcher m = REQUEST_URI.matcher(request);
                if (!m.find() || !request.contains("\r\nCSeq: 1 OPTIONS\r\n")) {
                    continue; // not a well-formed OPTIONS: no answer
                }
                String probed = m.group(1);
                sipHits.computeIfAbsent(probed, k -> new AtomicInteger()).incrementAndGet();
                if (sipSilent.contains(probed)) {
                    continue;
                }
                String via = request.lines().filter(l -> l.startsWith("Via: ")).findFirst().orElse("");
                String callId = request.lines().filter(l -> l.startsWith("Call-ID: ")).findFirst().orElse("");
                byte[] answer = ("SIP/2.0 200 OK\r\n" + via + "\r\n" + callId + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                sip.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                // one bad packet: keep answering
            }
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    int httpPort() {
        return http.getAddress().getPort();
    }

    int tcpPort() {
        return tcp.getLocalPort();
    }

    int sipPort() {
        return sip.getLocalPort();
    }

    static int hits(Map<String, AtomicInteger> hits, String address) {
        AtomicInteger n = hits.get(address);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() throws IOException {
        open = false;
        http.stop(0);
        tcp.close();
        sip.close();
    }
}
