package dev.orchestrator.runtime.docker;

import dev.orchestrator.api.spi.RuntimeEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * One subscriber's view of the runtime's event stream, kept alive across stream failures.
 *
 * <p>A daemon thread owns the subscription: it opens the stream, hands every event to the
 * listener (so the listener is always called from this one thread, in order), and when the
 * stream fails or ends it waits (100 ms, doubling up to 5 s; back to 100 ms once a stream was
 * up) and opens a new one. Once a new stream is up it first delivers a
 * {@link RuntimeEvent.Type#RESYNC}: events may have been missed in between, and sending it
 * only after the stream is live means nothing after the resync is missed.
 */
final class EventSubscription implements AutoCloseable {
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /** Opens one event stream. */
    @FunctionalInterface
    interface Source {
        /**
         * Starts a stream without blocking; its outcome is reported to {@code sink} from any thread.
         *
         * @param sink where the stream reports
         * @return a handle that stops the stream
         */
        AutoCloseable open(Sink sink);
    }

    /** What one stream reports. Each method may be called from any thread. */
    interface Sink {
        /** The runtime answered; events follow. */
        void connected();

        /** @param event an event */
        void event(RuntimeEvent event);

        /** @param error why the stream ended, null if it just completed */
        void ended(Throwable error);
    }

    private final Source source;
    private final Consumer<RuntimeEvent> listener;
    private final Clock clock;
    private final System.Logger log;
    private final Thread thread;
    private volatile boolean closed;
    private volatile AutoCloseable current;

    private EventSubscription(Source source, Consumer<RuntimeEvent> listener, Clock clock, System.Logger log) {
        this.source = source;
        this.listener = listener;
        this.clock = clock;
        this.log = log;
        this.thread = Thread.ofPlatform().daemon().name("docker-events").unstarted(this::run);
    }

    /**
     * @param source   opens streams
     * @param listener gets the events
     * @param clock    stamps RESYNC events
     * @param log      where stream failures are reported
     * @return the running subscription
     */
    static EventSubscription start(Source source, Consumer<RuntimeEvent> listener, Clock clock, System.Logger log) {
        EventSubscription s = new EventSubscription(source, listener, clock, log);
        s.thread.start();
        return s;
    }

    /** Stops the stream and the thread. Idempotent; may be called from the listener. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(current);
        thread.interrupt();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return whether the subscription's thread is still running */
    boolean alive() {
        return thread.isAlive();
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        boolean reconnecting = false;
        while (!closed) {
            Connection connection = new Connection();
            current = open(connection);
            if (closed) {
                closeQuietly(current); // close() may have run before current was set
                return;
            }
            boolean wasUp = connection.pump(reconnecting);
            closeQuietly(current);
            reconnecting = true;
            if (wasUp) {
                backoff = FIRST_BACKOFF;
            }
            if (!closed) {
                report(connection.failure, backoff, wasUp);
                sleep(backoff);
                backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
            }
        }
    }

    private AutoCloseable open(Connection connection) {
        try {
            return source.open(connection);
        } catch (RuntimeException e) {
            connection.ended(e);
            return null;
        }
    }

    private void deliver(RuntimeEvent event) {
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            // One bad callback must not end the subscription.
            log.log(System.Logger.Level.WARNING, "runtime event listener failed on " + event.type(), e);
        }
    }

    private void report(Throwable failure, Duration backoff, boolean wasUp) {
        // The first failure after a working stream is worth a warning; retries while Docker stays
        // away are not, or a long outage floods the log.
        System.Logger.Level level = wasUp ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG;
        String why = failure == null ? "ended" : "failed: " + DockerErrors.reason(failure);
        log.log(level, "docker event stream " + why + "; reconnecting in " + backoff.toMillis() + " ms");
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            // close() interrupts to end the wait; the loop then sees closed.
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // Best effort: the stream is being dropped anyway.
        }
    }

    /** One stream's reports, queued so the subscription's own thread delivers them. */
    private final class Connection implements Sink {
        private static final Object CONNECTED = new Object();
        private static final Object ENDED = new Object();
        private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        private volatile Throwable failure;

        @Override
        public void connected() {
            queue.add(CONNECTED);
        }

        @Override
        public void event(RuntimeEvent event) {
            queue.add(event);
        }

        @Override
        public void ended(Throwable error) {
            failure = error;
            queue.add(ENDED);
        }

        /**
         * Delivers this stream's events until it ends or the subscription closes.
         *
         * @param resync whether to send RESYNC once connected
         * @return whether the stream was ever up
         */
        boolean pump(boolean resync) {
            boolean up = false;
            try {
                for (Object item = queue.take(); item != ENDED && !closed; item = queue.take()) {
                    if (item == CONNECTED) {
                        up = true;
                        if (resync) {
                            deliver(new RuntimeEvent(RuntimeEvent.Type.RESYNC, null, Map.of(), 0, clock.instant()));
                        }
                    } else {
                        deliver((RuntimeEvent) item);
                    }
                }
            } catch (InterruptedException e) {
                // close() interrupts; run() sees closed and stops.
            }
            return up;
        }
    }
}
