package io.autoheal.bootstrap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A one-connection TCP server on loopback for answers an HTTP server library will not give: it reads one HTTP
 * request (headers and Content-Length body) and closes the connection without a word ({@link Then#CLOSE}), or
 * accepts the connection and never reads or writes anything ({@link Then#SILENCE}, e.g. a TLS handshake that
 * never completes), or answers 200 at once and then drips its body a byte at a time ({@link Then#DRIP}).
 */
final class RawServer implements AutoCloseable {
    enum Then { CLOSE, SILENCE, DRIP }

    private final ServerSocket socket;
    private final AtomicReference<String> body = new AtomicReference<>();
    private final Thread thread;

    private RawServer(Then then) throws IOException {
        socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> serve(then), "raw-server");
        thread.setDaemon(true);
        thread.start();
    }

    static RawServer start(Then then) throws IOException {
        return new RawServer(then);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The body of the request read, or null if none was read. */
    String body() {
        return body.get();
    }

    private void serve(Then then) {
        try (Socket s = socket.accept()) {
            if (then == Then.SILENCE) {
                Thread.sleep(60_000);
                return;
            }
            InputStream in = s.getInputStream();
            String headers = readHeaders(in);
            if (then == Then.DRIP) {
                // headers at once, then a byte of a chunked body every 200 ms, for a minute
                s.getOutputStream().write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                for (int i = 0; i < 300; i++) {
                    s.getOutputStream().write("1\r\nx\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                    Thread.sleep(200);
                }
                return;
            }
            int length = 0;
            for (String line : headers.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            body.set(new String(in.readNBytes(length), StandardCharsets.UTF_8));
        } catch (IOException | InterruptedException e) {
            // closed by the test
        }
    }

    private static String readHeaders(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            out.write(c);
            String text = out.toString(StandardCharsets.ISO_8859_1);
            if (text.endsWith("\r\n\r\n")) {
                return text;
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        thread.interrupt();
        socket.close();
    }
}
