package dev.orchestrator.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A loopback TCP listener that never answers, for testing that a network probe gives up on
 * time. Two kinds:
 * <ul>
 *   <li>{@link #silent()} accepts connections and then neither reads nor writes: a request
 *       sent to it waits forever for a response.</li>
 *   <li>{@link #fullBacklog()} never accepts and has a full accept queue, so the kernel drops
 *       new SYNs and a {@code connect} to it hangs until the client's own timeout.</li>
 * </ul>
 * Only the loopback interface is used. Thread-safe; {@link #close()} releases every socket.
 */
public final class StuckListener implements AutoCloseable {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** How long a connect may take before the accept queue counts as full; loopback connects take microseconds. */
    private static final int FILL_PROBE_MILLIS = 250;
    /** Bound on the connections needed to fill a backlog of 1 (Linux needs 2). */
    private static final int MAX_FILLERS = 16;

    private final ServerSocket server;
    private final ConcurrentLinkedQueue<Socket> sockets = new ConcurrentLinkedQueue<>();

    private StuckListener(ServerSocket server) {
        this.server = server;
    }

    /**
     * Starts a listener that accepts every connection and never sends a byte.
     *
     * @return the listener, already accepting
     * @throws UncheckedIOException if no loopback port can be bound
     */
    public static StuckListener silent() {
        StuckListener listener = new StuckListener(bind(50));
        Thread.ofVirtual().name("stuck-listener-" + listener.port()).start(listener::acceptForever);
        return listener;
    }

    /**
     * Starts a listener whose accept queue is full, so that connecting to it hangs. Relies on
     * the Linux behaviour of dropping a SYN when the accept queue is full
     * ({@code net.ipv4.tcp_abort_on_overflow=0}, the default); elsewhere the queue may never
     * fill, and this throws.
     *
     * @return the listener, with connects to it hanging
     * @throws IllegalStateException if the queue could not be filled on this system
     * @throws UncheckedIOException  if no loopback port can be bound
     */
    public static StuckListener fullBacklog() {
        StuckListener listener = new StuckListener(bind(1));
        try {
            listener.fillAcceptQueue();
            return listener;
        } catch (RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    /** @return the loopback port the listener is bound to */
    public int port() {
        return server.getLocalPort();
    }

    /** @return the loopback address, as a string for a {@code ProbeTarget} */
    public String address() {
        return LOOPBACK.getHostAddress();
    }

    /** Closes the listener and every connection it holds. Idempotent. */
    @Override
    public void close() {
        closeQuietly(server);
        for (Socket s = sockets.poll(); s != null; s = sockets.poll()) {
            closeQuietly(s);
        }
    }

    private static ServerSocket bind(int backlog) {
        try {
            return new ServerSocket(0, backlog, LOOPBACK);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a loopback listener", e);
        }
    }

    private void acceptForever() {
        while (!server.isClosed()) {
            try {
                sockets.add(server.accept());
            } catch (IOException e) {
                return; // closed
            }
        }
        close(); // a socket accepted while closing must not leak
    }

    /** Connects (and keeps) sockets until one connect times out: from then on the queue is full. */
    private void fillAcceptQueue() {
        var target = new InetSocketAddress(LOOPBACK, port());
        List<Socket> fillers = new ArrayList<>();
        for (int i = 0; i < MAX_FILLERS; i++) {
            Socket s = new Socket();
            try {
                s.connect(target, FILL_PROBE_MILLIS);
                fillers.add(s);
            } catch (SocketTimeoutException full) {
                closeQuietly(s);
                sockets.addAll(fillers);
                return;
            } catch (IOException e) {
                closeQuietly(s);
                fillers.forEach(StuckListener::closeQuietly);
                throw new UncheckedIOException("cannot fill the accept queue of a loopback listener", e);
            }
        }
        fillers.forEach(StuckListener::closeQuietly);
        throw new IllegalStateException("the accept queue of a loopback listener with backlog 1 did not fill after "
                + MAX_FILLERS + " connections: this system accepts past the backlog (not Linux?)");
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Test helper tearing down: nothing useful to do.
        }
    }
}
