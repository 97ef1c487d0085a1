package dev.orchestrator.server;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cuts off a client that sends its request headers too slowly (slowloris): from its request
 * line on, a request has {@code deadline} to finish its headers, or its connection is closed.
 * A Helidon HTTP/1 receive listener sees each request line and each header block on the
 * connection's own (virtual) thread; a sweep once a {@code period} interrupts the threads past
 * their deadline, which closes their sockets. The request line itself is bounded by the
 * listener's idle timeout (Helidon closes a connection whose request line is late). Holds one
 * entry per connection in the middle of its headers. Thread-safe.
 */
final class HeaderDeadline implements Http1ConnectionListener, AutoCloseable {
    private final long deadlineNanos;
    private final Map<Thread, Long> reading = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "header-deadline");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param deadline how long the headers may take after the request line
     * @param period   how often to look
     */
    HeaderDeadline(Duration deadline, Duration period) {
        this.deadlineNanos = deadline.toNanos();
        sweeper.scheduleWithFixedDelay(this::sweep, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        reading.put(Thread.currentThread(), System.nanoTime() + deadlineNanos);
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        reading.remove(Thread.currentThread());
    }

    private void sweep() {
        long now = System.nanoTime();
        reading.forEach((thread, until) -> {
            if (now - until > 0 && reading.remove(thread, until)) {
                thread.interrupt();
            }
        });
    }

    /** @return connections in the middle of their headers */
    int reading() {
        return reading.size();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
