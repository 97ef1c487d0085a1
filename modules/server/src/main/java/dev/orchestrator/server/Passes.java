package dev.orchestrator.server;

import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * Runs a pass (the assigner's) on one thread, when asked and at least every safety-net
 * interval. Requests coalesce: any number of them while a pass runs cause exactly one more.
 * {@link #requestAndWait} returns once a pass that started after the call has finished, or
 * after its bound.
 * Thread-safe.
 */
final class Passes implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Passes.class.getName());

    private final Runnable pass;
    private final Duration safetyNet;
    private final Object lock = new Object();
    private long requested;
    private long completed;
    private boolean closed;
    private Thread thread;

    Passes(Runnable pass, Duration safetyNet) {
        this.pass = pass;
        this.safetyNet = safetyNet;
    }

    void start() {
        thread = Thread.ofPlatform().daemon().name("assigner").start(this::loop);
    }

    /** Asks for a pass soon. Never blocks. */
    void request() {
        synchronized (lock) {
            requested++;
            lock.notifyAll();
        }
    }

    /**
     * Asks for a pass and waits until one that saw the request has finished, or the bound.
     *
     * @param bound the longest to wait
     */
    void requestAndWait(Duration bound) {
        synchronized (lock) {
            long ticket = ++requested;
            lock.notifyAll();
            long deadline = System.nanoTime() + bound.toNanos();
            long left;
            while (completed < ticket && !closed && (left = deadline - System.nanoTime()) > 0) {
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void loop() {
        while (true) {
            long ticket;
            synchronized (lock) {
                long deadline = System.nanoTime() + safetyNet.toNanos();
                long left;
                while (requested == completed && !closed && (left = deadline - System.nanoTime()) > 0) {
                    try {
                        lock.wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                ticket = requested;
            }
            try {
                pass.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "assigner pass failed: " + e.getMessage());
            }
            synchronized (lock) {
                completed = Math.max(completed, ticket);
                lock.notifyAll();
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
