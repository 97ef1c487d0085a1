package dev.orchestrator.lb.tcp;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every open connection of one balancer, including those of unpublished ports that are still
 * draining, so that the balancer's {@code close()} can end them all. Thread-safe.
 */
final class Connections {
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @return false, having closed the connection, if {@link #closeAll} ran already
     */
    boolean add(Connection c) {
        open.add(c);
        // Checked after adding: either closeAll sees the connection or we see the flag.
        if (closed) {
            remove(c);
            c.close();
            return false;
        }
        return true;
    }

    void remove(Connection c) {
        open.remove(c);
    }

    /** Closes every connection now and every one added later. */
    void closeAll() {
        closed = true;
        open.forEach(Connection::close);
    }
}
