package dev.orchestrator.lb.tcp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The state of one relayed connection on its {@link EventLoop}: two one-way pipes and the
 * selection keys of both channels. Used by the loop's thread only.
 */
final class Relay {
    // Enough for a typical request or response in one read; 32 connections cost 1 MiB.
    private static final int BUFFER_SIZE = 16 * 1024;

    /** One direction: bytes read from {@code from} wait in {@code buffer} until written to {@code to}. */
    private static final class Pipe {
        final SocketChannel from;
        final SocketChannel to;
        final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
        boolean pending; // buffer holds bytes not yet written (flipped)
        boolean eof; // from has reached end of stream
        boolean done; // eof and everything written, to's output shut down

        Pipe(SocketChannel from, SocketChannel to) {
            this.from = from;
            this.to = to;
        }
    }

    private final Connection connection;
    private final Pipe up;
    private final Pipe down;
    private final long idleNanos;
    private SelectionKey clientKey;
    private SelectionKey backendKey;
    private long lastActivity = System.nanoTime();
    private final Traffic traffic;

    Relay(Connection connection, SocketChannel client, SocketChannel backend, int idleMillis, Traffic traffic) {
        this.connection = connection;
        this.traffic = traffic;
        this.up = new Pipe(client, backend);
        this.down = new Pipe(backend, client);
        this.idleNanos = idleMillis * 1_000_000L;
    }

    SocketChannel client() {
        return up.from;
    }

    SocketChannel backend() {
        return down.from;
    }

    void keys(SelectionKey client, SelectionKey backend) {
        this.clientKey = client;
        this.backendKey = backend;
    }

    /**
     * Moves bytes for a ready key.
     *
     * @return false once the relay has ended (both directions done, or an error): the caller
     *         forgets it
     */
    boolean onReady(SelectionKey key, long now) {
        try {
            SocketChannel ch = (SocketChannel) key.channel();
            int ready = key.readyOps();
            if ((ready & SelectionKey.OP_WRITE) != 0) {
                flush(ch == up.to ? up : down, now);
            }
            if ((ready & SelectionKey.OP_READ) != 0) {
                fill(ch == up.from ? up : down, now);
            }
            if (up.done && down.done) {
                end();
                return false;
            }
            interest();
            return true;
        } catch (IOException | java.nio.channels.CancelledKeyException e) {
            // Reset, closed by close(), or shut down: nothing useful can go on in the other direction.
            end();
            return false;
        }
    }

    /** @return true if no byte moved for the idle timeout (never without one) */
    boolean idle(long now) {
        return idleNanos > 0 && now - lastActivity >= idleNanos;
    }

    /** Closes both sides; the connection's relay() returns. */
    void end() {
        connection.close();
    }

    /** Reads once (the selector is level-triggered: more waiting shows as ready again) and passes it on. */
    private void fill(Pipe p, long now) throws IOException {
        int n = p.from.read(p.buffer);
        if (n < 0) {
            p.eof = true;
            finishIfDrained(p);
            return;
        }
        if (n > 0) {
            lastActivity = now;
            (p == up ? traffic.received : traffic.sent).add(n);
            p.buffer.flip();
            p.pending = true;
            flush(p, now);
        }
    }

    private void flush(Pipe p, long now) throws IOException {
        if (!p.pending) {
            return;
        }
        if (p.to.write(p.buffer) > 0) {
            lastActivity = now;
        }
        if (!p.buffer.hasRemaining()) {
            p.buffer.clear();
            p.pending = false;
            finishIfDrained(p);
        }
    }

    private static void finishIfDrained(Pipe p) throws IOException {
        if (p.eof && !p.pending && !p.done) {
            p.done = true;
            p.to.shutdownOutput();
        }
    }

    /**
     * A channel is read while its direction has room and no end of stream, and written while
     * the other direction has bytes waiting: a slow reader stops its writer (backpressure)
     * instead of filling memory.
     */
    private void interest() {
        set(clientKey, ops(up, down));
        set(backendKey, ops(down, up));
    }

    private static int ops(Pipe readFrom, Pipe writeTo) {
        int ops = 0;
        if (!readFrom.eof && !readFrom.pending) {
            ops |= SelectionKey.OP_READ;
        }
        if (writeTo.pending) {
            ops |= SelectionKey.OP_WRITE;
        }
        return ops;
    }

    private static void set(SelectionKey key, int ops) {
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }
}
