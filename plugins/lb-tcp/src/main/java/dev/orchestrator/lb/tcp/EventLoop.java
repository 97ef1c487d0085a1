package dev.orchestrator.lb.tcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HashSet;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A selector and the platform thread that runs it, relaying the bytes of many connections.
 * Why not a thread per direction: with blocking reads every request and every response costs
 * a thread wake-up (and, on virtual threads, a poller registration); one selector thread
 * handles every ready connection of a round in one {@code epoll_wait}, as HAProxy does.
 *
 * <p>Thread-safe: {@link #register}, {@link #wakeup} and {@link #close} may be called from any
 * thread; everything else runs on the loop's thread.
 */
final class EventLoop implements AutoCloseable {
    /** How often idle connections are looked for, when an idle timeout is set. */
    private static final long IDLE_CHECK_MILLIS = 1000;

    private final Selector selector;
    private final Queue<Relay> incoming = new ConcurrentLinkedQueue<>();
    private final Set<Relay> relays = new HashSet<>(); // loop thread only
    private long lastSweep = System.nanoTime(); // loop thread only
    private final Thread thread;
    private final System.Logger log;
    private volatile boolean closed;

    EventLoop(String name, System.Logger log) {
        this.log = log;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.thread = Thread.ofPlatform().daemon().name(name).start(this::run);
    }

    /** Starts relaying; if this loop is closed, ends the relay at once. */
    void register(Relay relay) {
        incoming.add(relay);
        if (closed) {
            drainIncoming();
        }
        selector.wakeup();
    }

    void wakeup() {
        selector.wakeup();
    }

    /** Ends every relay and stops the thread. Idempotent. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (!closed) {
                // The consumer form skips the selected-key set: no HashSet churn per event.
                selector.select(this::handle, IDLE_CHECK_MILLIS);
                accept();
                sweep(System.nanoTime());
            }
        } catch (IOException | RuntimeException e) {
            log.log(Level.ERROR, "load balancer event loop failed: its connections are closed", e);
        } finally {
            relays.forEach(Relay::end);
            relays.clear();
            drainIncoming();
            Sockets.closeQuietly(selector);
        }
    }

    private void accept() {
        Relay r;
        while ((r = incoming.poll()) != null) {
            try {
                SelectionKey c = r.client().register(selector, SelectionKey.OP_READ, r);
                SelectionKey b = r.backend().register(selector, SelectionKey.OP_READ, r);
                r.keys(c, b);
                relays.add(r);
            } catch (ClosedChannelException | java.nio.channels.CancelledKeyException e) {
                r.end(); // closed while waiting to be registered
            }
        }
    }

    private void handle(SelectionKey key) {
        Relay r = (Relay) key.attachment();
        if (!key.isValid() || !r.onReady(key, System.nanoTime())) {
            forget(r);
        }
    }

    private void forget(Relay r) {
        if (relays.remove(r)) {
            r.end();
        }
    }

    /**
     * Once a second: ends idle relays, and forgets those closed from outside (the balancer's
     * close()), whose cancelled keys bring no event.
     */
    private void sweep(long now) {
        if (now - lastSweep < IDLE_CHECK_MILLIS * 1_000_000L) {
            return;
        }
        lastSweep = now;
        relays.removeIf(r -> {
            if (!r.client().isOpen() || r.idle(now)) {
                r.end();
                return true;
            }
            return false;
        });
    }

    private void drainIncoming() {
        Relay r;
        while ((r = incoming.poll()) != null) {
            r.end();
        }
    }
}
