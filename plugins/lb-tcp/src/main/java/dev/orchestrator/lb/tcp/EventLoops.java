package dev.orchestrator.lb.tcp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The balancer's event loops, as many as configured, started on first use (a balancer that never
 * relays starts no thread). Connections are spread over them in turn. Thread-safe.
 */
final class EventLoops implements AutoCloseable {
    private final System.Logger log;
    private final int count;
    private final AtomicLong next = new AtomicLong();
    private EventLoop[] loops; // guarded by this
    private boolean closed; // guarded by this

    EventLoops(int count, System.Logger log) {
        this.count = count;
        this.log = log;
    }

    /** @return the loop for the next connection; a closed one after {@link #close} (it ends the relay) */
    EventLoop next() {
        EventLoop[] all = started();
        return all[(int) Math.floorMod(next.getAndIncrement(), (long) all.length)];
    }

    private synchronized EventLoop[] started() {
        if (loops == null) {
            loops = new EventLoop[count];
            for (int i = 0; i < count; i++) {
                loops[i] = new EventLoop("lb-tcp-loop-" + i, log);
            }
            if (closed) {
                close();
            }
        }
        return loops;
    }

    /** Stops every loop, ending their relays. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (loops != null) {
            for (EventLoop l : loops) {
                l.close();
            }
        }
    }
}
