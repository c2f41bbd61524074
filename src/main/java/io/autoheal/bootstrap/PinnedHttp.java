package io.autoheal.bootstrap;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 exchange with an address the {@link RequestGuard} checked: the socket connects to that address, never
 * resolving the host again, while the Host header, TLS SNI and the certificate's host-name check use the URL's host.
 * java.net.http (Java 17) always resolves the host itself, which left a window between the check and the connection
 * (DNS rebinding). One request per connection (Connection: close).
 *
 * <p>Limits: the connect timeout per address; the request timeout covers the TLS handshake, sending and the answer's
 * head; the body is then read within another request timeout and at most {@code limit} bytes
 * ({@link BoundedBody.TooLarge}), like {@link BoundedBody}. Timeouts surface as {@link HttpTimeoutException}.
 */
public final class PinnedHttp {
    /** An answer: status code and body (UTF-8). */
    public record Response(int code, String body) {
    }

    /** A request: method, URI (its host names the peer, its address comes from the guard), headers, an optional body. */
    public record Request(String method, URI uri, Map<String, String> headers, byte[] body) {
    }

    private final SSLSocketFactory tls;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final int limit;

    /** @param tls the TLS context for https (null: the JVM's default trust) */
    public PinnedHttp(SSLContext tls, Duration connectTimeout, Duration requestTimeout, int limit) {
        this.tls = tls == null ? null : tls.getSocketFactory();
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.limit = limit;
    }

    /**
     * Connects to the first of {@code addresses} that accepts (all of them checked), sends the request and reads the
     * answer. {@code sent} runs once the whole request went out: a failure after it may have reached the peer.
     */
    public Response exchange(Request request, List<InetAddress> addresses, Runnable sent) throws IOException, InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException();
        }
        if (addresses.isEmpty()) {
            throw new IOException("the host " + request.uri().getHost() + " does not resolve");
        }
        URI uri = request.uri();
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
        try (Socket socket = connect(addresses, port)) {
            Deadline deadline = new Deadline(requestTimeout);
            Socket s = https ? handshake(socket, peerName(uri), port, deadline) : socket;
            OutputStream out = s.getOutputStream();
            out.write(head(request, port, https));
            if (request.body() != null) {
                out.write(request.body());
            }
            out.flush();
            sent.run();
            InputStream in = new java.io.BufferedInputStream(new Timed(s, s.getInputStream(), deadline));
            int code = status(in, deadline);
            Map<String, String> headers = headers(in);
            deadline.restart(); // the body gets its own deadline, as with BoundedBody
            String body = hasBody(request.method(), code) ? body(in, headers) : "";
            return new Response(code, body);
        } catch (SocketTimeoutException e) {
            throw new HttpTimeoutException("request timed out");
        }
    }

    private Socket connect(List<InetAddress> addresses, int port) throws IOException {
        IOException last = null;
        for (InetAddress address : addresses) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(address, port), (int) Math.max(1, connectTimeout.toMillis()));
                return socket;
            } catch (SocketTimeoutException e) {
                socket.close();
                last = new HttpConnectTimeoutException("connect timed out");
            } catch (IOException e) {
                socket.close();
                last = e;
            }
        }
        throw last instanceof ConnectException || last instanceof HttpTimeoutException ? last : new ConnectException(String.valueOf(last));
    }

    private Socket handshake(Socket socket, String host, int port, Deadline deadline) throws IOException {
        SSLSocketFactory factory = tls;
        if (factory == null) {
            try {
                factory = SSLContext.getDefault().getSocketFactory();
            } catch (NoSuchAlgorithmException e) {
                throw new javax.net.ssl.SSLException("no TLS: " + e.getMessage());
            }
        }
        SSLSocket ssl = (SSLSocket) factory.createSocket(socket, host, port, true); // the name: SNI and the host-name check
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(params);
        ssl.setSoTimeout(deadline.remainingMillis());
        ssl.startHandshake();
        return ssl;
    }

    /** The host as TLS and the Host header know it: an IPv6 literal without its brackets. */
    private static String peerName(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static byte[] head(Request request, int port, boolean https) throws IOException {
        URI uri = request.uri();
        String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        boolean defaultPort = port == (https ? 443 : 80);
        StringBuilder b = new StringBuilder().append(request.method()).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(uri.getHost()).append(defaultPort ? "" : ":" + port).append("\r\n");
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            if (h.getValue().indexOf('\r') >= 0 || h.getValue().indexOf('\n') >= 0) {
                throw new IOException("the header " + h.getKey() + " has a line break");
            }
            b.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        if (request.body() != null) {
            b.append("Content-Length: ").append(request.body().length).append("\r\n");
        }
        return b.append("Connection: close\r\n\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The status code; informational answers (100 Continue) are skipped. */
    private int status(InputStream in, Deadline deadline) throws IOException {
        while (true) {
            String line = line(in);
            if (line == null) {
                throw new IOException("the connection closed without an answer");
            }
            String[] parts = line.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x answer");
            }
            int code;
            try {
                code = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP status");
            }
            if (code >= 200 || code < 100) {
                return code;
            }
            headers(in);
        }
    }

    /** Header names in lower case; the head counts against the limit too. */
    private Map<String, String> headers(InputStream in) throws IOException {
        Map<String, String> headers = new java.util.HashMap<>();
        int size = 0;
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            size += line.length();
            if (size > limit) {
                throw new BoundedBody.TooLarge(limit);
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        return headers;
    }

    private static boolean hasBody(String method, int code) {
        return !"HEAD".equals(method) && code != 204 && code != 304;
    }

    private String body(InputStream in, Map<String, String> headers) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
            while (true) {
                String sizeLine = line(in);
                if (sizeLine == null) {
                    throw new IOException("the answer ended inside a chunk");
                }
                int semicolon = sizeLine.indexOf(';');
                long size;
                try {
                    size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("a malformed chunk");
                }
                if (size == 0) {
                    headers(in); // trailers
                    break;
                }
                copy(in, bytes, size);
                line(in); // the chunk's CRLF
            }
        } else if (headers.containsKey("content-length")) {
            long length;
            try {
                length = Long.parseLong(headers.get("content-length"));
            } catch (NumberFormatException e) {
                throw new IOException("a malformed Content-Length");
            }
            copy(in, bytes, length);
        } else {
            copy(in, bytes, -1);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Copies {@code length} bytes (-1: up to the end), failing past the limit without reading further. */
    private void copy(InputStream in, ByteArrayOutputStream to, long length) throws IOException {
        byte[] buffer = new byte[8192];
        long left = length;
        while (left != 0) {
            int n = in.read(buffer, 0, left < 0 ? buffer.length : (int) Math.min(buffer.length, left));
            if (n < 0) {
                if (length < 0) {
                    return;
                }
                throw new IOException("the answer ended before its Content-Length");
            }
            if (to.size() + n > limit) {
                throw new BoundedBody.TooLarge(limit);
            }
            to.write(buffer, 0, n);
            left = left < 0 ? -1 : left - n;
        }
    }

    /** A CRLF- (or LF-) terminated line, at most the limit long; null at the end of the stream. */
    private String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (line.size() >= limit) {
                throw new BoundedBody.TooLarge(limit);
            }
            line.write(c);
        }
        if (c < 0 && line.size() == 0) {
            return null;
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** The time left of a request timeout. */
    private static final class Deadline {
        private final Duration timeout;
        private long end;

        Deadline(Duration timeout) {
            this.timeout = timeout;
            restart();
        }

        void restart() {
            end = System.nanoTime() + timeout.toNanos();
        }

        int remainingMillis() throws HttpTimeoutException {
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new HttpTimeoutException("request timed out");
            }
            return (int) Math.min(Integer.MAX_VALUE, left);
        }
    }

    /** Every read waits at most until the deadline: a dripping answer ends at it, not never. */
    private static final class Timed extends FilterInputStream {
        private final Socket socket;
        private final Deadline deadline;

        Timed(Socket socket, InputStream in, Deadline deadline) {
            super(in);
            this.socket = socket;
            this.deadline = deadline;
        }

        @Override
        public int read() throws IOException {
            socket.setSoTimeout(deadline.remainingMillis());
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            socket.setSoTimeout(deadline.remainingMillis());
            return super.read(b, off, len);
        }
    }
}
