package dev.orchestrator.discovery.dns;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.xbill.DNS.Message;

/**
 * Accepts TCP connections on one platform thread and serves each on a virtual thread: 2-byte
 * length-prefixed queries in sequence, complete answers (up to 65535 bytes). Bounded: at most
 * {@value #MAX_CONNECTIONS} connections (more are closed at once), a read waits at most
 * {@link #READ_TIMEOUT}, a connection lives at most {@link #LIFETIME} and serves at most
 * {@value #MAX_QUERIES} queries. Ends when its server socket is closed.
 */
final class TcpLoop implements Runnable {
    /** Open connections at most. */
    static final int MAX_CONNECTIONS = 256;
    /** The longest wait for the next bytes of a query. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    /** The longest a connection is served. */
    static final Duration LIFETIME = Duration.ofSeconds(30);
    /** Queries per connection at most. */
    static final int MAX_QUERIES = 100;
    private static final int MAX_MESSAGE = 65_535;

    private final ServerSocket server;
    private final Dispatcher dispatcher;
    private final Forwarder forwarder;
    private final ExecutorService workers;
    private final System.Logger log;
    private final Semaphore connections = new Semaphore(MAX_CONNECTIONS);

    TcpLoop(ServerSocket server, Dispatcher dispatcher, Forwarder forwarder, ExecutorService workers,
            System.Logger log) {
        this.server = server;
        this.dispatcher = dispatcher;
        this.forwarder = forwarder;
        this.workers = workers;
        this.log = log;
    }

    @Override
    public void run() {
        while (!server.isClosed()) {
            try {
                admit(server.accept());
            } catch (IOException e) {
                if (!server.isClosed()) {
                    log.log(Level.DEBUG, "tcp accept failed: " + e.getMessage());
                }
            }
        }
    }

    private void admit(Socket socket) {
        if (!connections.tryAcquire()) {
            closeQuietly(socket);
            return;
        }
        try {
            workers.execute(() -> {
                try (socket) {
                    serve(socket);
                } catch (IOException e) {
                    log.log(Level.DEBUG, "tcp connection ended: " + e.getMessage());
                } finally {
                    connections.release();
                }
            });
        } catch (RejectedExecutionException closing) {
            connections.release();
            closeQuietly(socket);
        }
    }

    private void serve(Socket socket) throws IOException {
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        long deadline = System.nanoTime() + LIFETIME.toNanos();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        for (int served = 0; served < MAX_QUERIES && System.nanoTime() < deadline; served++) {
            byte[] query;
            try {
                query = in.readNBytes(in.readUnsignedShort());
            } catch (EOFException | SocketTimeoutException end) {
                return;
            }
            byte[] answer = answer(query);
            if (answer.length == 0) {
                return;
            }
            out.write(new byte[] {(byte) (answer.length >>> 8), (byte) answer.length});
            out.write(answer);
            out.flush();
        }
    }

    /** @return the wire answer, or no bytes to close the connection */
    private byte[] answer(byte[] query) {
        Message response = switch (dispatcher.handle(query)) {
            case Outcome.Reply r -> r.response();
            case Outcome.Forward f -> forwarder.forward(f.query(), f.question());
            case Outcome.Drop d -> null;
        };
        return response == null ? new byte[0] : Responses.wire(response, MAX_MESSAGE);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to release beyond the descriptor
        }
    }
}
