package dev.orchestrator.probe.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A loopback listener that accepts every connection, waits for the client to close it and
 * records whether it did within a second. Thread-safe.
 */
final class OpenPort implements AutoCloseable {
    private final ServerSocket server;
    private final BlockingQueue<Boolean> closedByClient = new LinkedBlockingQueue<>();

    OpenPort() throws IOException {
        server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("open-port-" + port()).start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** @return whether the next accepted connection was closed by the client within a second */
    Boolean nextClosedByClient(Duration wait) throws InterruptedException {
        return closedByClient.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return a loopback port nobody listens on (it was free a moment ago) */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> awaitClose(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void awaitClose(Socket s) {
        try (s; InputStream in = s.getInputStream()) {
            s.setSoTimeout(1000);
            closedByClient.add(in.read() == -1);
        } catch (IOException e) {
            closedByClient.add(false);
        }
    }
}
