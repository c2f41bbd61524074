package io.autoheal.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP listener that only counts connections (and closes each one): proof that nobody called an address. Binds to
 * any loopback address, e.g. 127.0.0.2 (Linux routes all of 127.0.0.0/8 to lo).
 */
public final class CountingListener implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicInteger connections = new AtomicInteger();

    public CountingListener(String address) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getByName(address));
        Thread t = new Thread(this::accept, "counting-listener-" + address);
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** host:port, for URLs. */
    public String authority() {
        return socket.getInetAddress().getHostAddress() + ":" + port();
    }

    public int connections() {
        return connections.get();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                connections.incrementAndGet();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
