package dev.orchestrator.server;

import dev.orchestrator.app.Queries;
import dev.orchestrator.cluster.LogEntry;
import dev.orchestrator.cluster.LogFanIn;
import dev.orchestrator.cluster.LogQuery;
import dev.orchestrator.wire.Views;
import dev.orchestrator.wire.Wire;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /api/services/{name}/logs?follow=true}: server-sent events, a {@code line} event
 * per line from any node (its id the line's time in microseconds since the epoch, so a client
 * that reconnects with {@code Last-Event-ID} resumes after it) and a {@code notice} event when a
 * node is slow, lost or back. The nodes push lines into this stream's bounded queue from their
 * own threads; the request's (virtual) thread writes them out. A client too slow for the queue
 * loses lines and is told how many; a comment every {@link #KEEP_ALIVE} finds clients that went
 * away.
 *
 * <p>Thread-safe: each stream runs on its request's thread; {@link #close} may be called from any.
 */
final class LogFollowers implements AutoCloseable {
    static final Duration KEEP_ALIVE = EventFollowers.KEEP_ALIVE;
    /** Lines a client may be behind before lines are dropped. */
    static final int QUEUE = 10_000;
    private final Queries queries;
    private volatile boolean closed;

    LogFollowers(Queries queries) {
        this.queries = queries;
    }

    /**
     * @param lastEventId the {@code Last-Event-ID} a reconnecting client sent
     * @return the instant just after it, or null if it is not one of this stream's ids
     */
    static Instant resumeAfter(String lastEventId) {
        try {
            long micros = Long.parseLong(lastEventId.trim());
            return micros < 0 ? null : Instant.EPOCH.plus(micros + 1, ChronoUnit.MICROS);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Streams until the client goes away or the server stops. Blocks the caller.
     *
     * @param res   the response, not yet sent
     * @param query what {@link Queries#logQuery} made
     */
    void follow(ServerResponse res, LogQuery query) {
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
        AtomicLong dropped = new AtomicLong();
        LogFanIn.Sink sink = new LogFanIn.Sink() {
            @Override
            public void line(LogEntry entry) {
                if (!queue.offer(entry)) {
                    dropped.incrementAndGet();
                }
            }

            @Override
            public void notice(LogFanIn.Notice notice) {
                if (!queue.offer(notice)) {
                    dropped.incrementAndGet();
                }
            }
        };
        AutoCloseable nodes = null;
        try (SseSink sse = res.sink(SseSink.TYPE)) {
            sse.emit(comment("following")); // headers out now, not with the first line
            nodes = queries.followLogs(query, sink);
            long quietSince = System.nanoTime();
            while (!closed) {
                Object next = queue.poll(1, TimeUnit.SECONDS);
                long lost = dropped.getAndSet(0);
                if (lost > 0) {
                    sse.emit(notice(new LogFanIn.Notice("server", lost + " lines dropped: the client is too slow")));
                }
                if (next != null) {
                    sse.emit(next instanceof LogEntry e ? line(e) : notice((LogFanIn.Notice) next));
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince > KEEP_ALIVE.toNanos()) {
                    sse.emit(comment("keep-alive")); // fails once the client is gone
                    quietSince = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (UncheckedIOException | IllegalStateException e) {
            // The client went away: the stream ends, and with it the nodes' streams.
        } finally {
            if (nodes != null) {
                quietly(nodes);
            }
        }
    }

    private static void quietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // the nodes' streams end anyway
        }
    }

    private static SseEvent line(LogEntry e) {
        Instant t = e.instant();
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, t);
        var view = new Views.LogLine(e.time(), e.replica(), e.node(), e.stream(), e.line());
        return SseEvent.builder().id(Long.toString(micros)).name("line")
                .data(new String(Wire.write(view), StandardCharsets.UTF_8)).build();
    }

    private static SseEvent notice(LogFanIn.Notice n) {
        var view = new Views.LogNotice(n.node(), n.message());
        return SseEvent.builder().name("notice").data(new String(Wire.write(view), StandardCharsets.UTF_8)).build();
    }

    /** A comment line, with the empty data Helidon's sink always writes (no event is dispatched). */
    private static SseEvent comment(String text) {
        return SseEvent.builder().comment(text).data("").build();
    }

    /** Ends every stream within a second. Idempotent. */
    @Override
    public void close() {
        closed = true;
    }
}
