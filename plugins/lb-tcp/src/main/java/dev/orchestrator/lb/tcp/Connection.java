package dev.orchestrator.lb.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * One client connection and the backend connection it is joined to. {@link #relay} copies
 * bytes both ways until both directions have ended; {@link #close} may be called from any
 * thread at any time (the balancer's {@code close()}) and ends the relay.
 */
final class Connection implements AutoCloseable {
    private static final int BUFFER_SIZE = 16 * 1024;

    private final Socket client;
    private Socket backend; // guarded by this; the attempt in progress while dialling
    private boolean closed; // guarded by this
    private volatile long lastActivity = System.nanoTime();

    Connection(Socket client) {
        this.client = client;
    }

    /**
     * Makes {@code socket} this connection's backend side, so that {@link #close} also closes
     * it, even while it is still connecting.
     *
     * @return false, having closed the socket, if this connection is already closed
     */
    synchronized boolean attach(Socket socket) {
        if (closed) {
            Sockets.closeQuietly(socket);
            return false;
        }
        backend = socket;
        return true;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Pumps bytes both ways on the calling thread and one virtual thread, and returns when both
     * directions have ended. When one side reaches end of stream, the other side's output is
     * shut down and the opposite direction goes on: a client may half-close after its request
     * and still read the reply. An error in either direction (reset, closed) ends both.
     *
     * @param idleMillis close after this long without bytes in either direction; 0 for never
     */
    void relay(int idleMillis) throws InterruptedException {
        Socket server;
        synchronized (this) {
            server = backend;
        }
        long idleNanos = idleMillis * 1_000_000L;
        try {
            for (Socket s : new Socket[] {client, server}) {
                // A proxy must not add Nagle's delay to small request/response exchanges.
                s.setTcpNoDelay(true);
                s.setSoTimeout(idleMillis);
            }
        } catch (IOException e) {
            close();
            return;
        }
        Thread reply = Thread.ofVirtual().name("lb-tcp-pump").start(() -> pump(server, client, idleNanos));
        pump(client, server, idleNanos);
        reply.join();
    }

    private void pump(Socket from, Socket to, long idleNanos) {
        byte[] buffer = new byte[BUFFER_SIZE];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = read(in, buffer, idleNanos)) >= 0) {
                lastActivity = System.nanoTime();
                out.write(buffer, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // Reset, closed by close(), or idle: nothing useful can go on in the other direction.
            close();
        }
    }

    /** Reads, treating a read timeout as idleness only if the other direction was quiet too. */
    private int read(InputStream in, byte[] buffer, long idleNanos) throws IOException {
        while (true) {
            try {
                return in.read(buffer);
            } catch (SocketTimeoutException e) {
                if (System.nanoTime() - lastActivity >= idleNanos) {
                    throw e;
                }
            }
        }
    }

    /** Closes both sides. Idempotent. */
    @Override
    public void close() {
        Socket server;
        synchronized (this) {
            closed = true;
            server = backend;
        }
        Sockets.closeQuietly(client);
        Sockets.closeQuietly(server);
    }
}
