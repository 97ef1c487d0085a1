package dev.orchestrator.lb.tcp;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;

/**
 * One client connection and the backend connection it is joined to. {@link #relay} hands both
 * to an {@link EventLoop}, which copies bytes both ways until both directions have ended, and
 * waits for that; {@link #close} may be called from any thread at any time (the balancer's
 * {@code close()}, the event loop) and ends the relay.
 */
final class Connection implements AutoCloseable {
    private final SocketChannel client;
    private final CountDownLatch ended = new CountDownLatch(1);
    private SocketChannel backend; // guarded by this; the attempt in progress while dialling
    private boolean closed; // guarded by this
    private EventLoop loop; // guarded by this; set once relaying

    Connection(SocketChannel client) {
        this.client = client;
    }

    /**
     * Makes {@code channel} this connection's backend side, so that {@link #close} also closes
     * it, even while it is still connecting.
     *
     * @return false, having closed the channel, if this connection is already closed
     */
    synchronized boolean attach(SocketChannel channel) {
        if (closed) {
            Sockets.closeQuietly(channel);
            return false;
        }
        backend = channel;
        return true;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Relays bytes both ways on {@code loop} and returns when both directions have ended. When
     * one side reaches end of stream, the other side's output is shut down and the opposite
     * direction goes on: a client may half-close after its request and still read the reply.
     * An error in either direction (reset, closed) ends both.
     *
     * @param idleMillis close after this long without bytes in either direction; 0 for never
     * @param loop       the event loop to relay on
     * @param traffic    where the bytes relayed are counted
     */
    void relay(int idleMillis, EventLoop loop, Traffic traffic) throws InterruptedException {
        SocketChannel server;
        synchronized (this) {
            server = backend;
            this.loop = loop;
        }
        try {
            for (SocketChannel c : new SocketChannel[] {client, server}) {
                // A proxy must not add Nagle's delay to small request/response exchanges.
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                c.configureBlocking(false);
            }
        } catch (IOException e) {
            close();
            return;
        }
        loop.register(new Relay(this, client, server, idleMillis, traffic));
        // A parked virtual thread costs nothing per byte; it keeps the accounting in one place.
        ended.await();
    }

    /** Closes both sides and ends {@link #relay}. Idempotent. */
    @Override
    public void close() {
        SocketChannel server;
        EventLoop l;
        synchronized (this) {
            closed = true;
            server = backend;
            l = loop;
        }
        Sockets.closeQuietly(client);
        Sockets.closeQuietly(server);
        ended.countDown();
        if (l != null) {
            // A registered channel's descriptor is released by its selector: wake it up to do so.
            l.wakeup();
        }
    }
}
