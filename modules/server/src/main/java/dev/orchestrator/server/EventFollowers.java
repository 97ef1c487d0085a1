package dev.orchestrator.server;

import dev.orchestrator.app.Queries;
import dev.orchestrator.store.EventRecords;
import dev.orchestrator.wire.Wire;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * {@code GET /api/events?follow=true}: server-sent events, one per stored event, with the
 * event's id as the SSE id so a client that reconnects with {@code Last-Event-ID} gets exactly
 * what it missed. The handler's (virtual) thread waits for the store to commit a new event,
 * not on a timer; a comment every {@link #KEEP_ALIVE} finds clients that went away and keeps
 * proxies from closing an idle stream.
 *
 * <p>Thread-safe: each stream runs on its request's thread; {@link #close} may be called from any.
 */
final class EventFollowers implements AutoCloseable {
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    /** Events read per query while catching up. */
    private static final int PAGE = 1000;
    private final Queries queries;
    private volatile boolean closed;

    EventFollowers(Queries queries) {
        this.queries = queries;
    }

    /**
     * Streams until the client goes away or the server stops. Blocks the caller.
     *
     * @param res    the response, not yet sent
     * @param query  the filters
     * @param first  what the query matched already (the newest, or those after {@code resume})
     * @param resume the id the client resumes after, or 0
     */
    void follow(ServerResponse res, Queries.Events query, List<EventRecords.Numbered> first, long resume) {
        // With no backlog, only what comes after the newest event now.
        long last = first.isEmpty() ? Math.max(resume, queries.lastEventId()) : first.getLast().id();
        Queries.Events page = new Queries.Events(query.service(), query.type(), query.node(), null, PAGE);
        try (SseSink sink = res.sink(SseSink.TYPE)) {
            first.forEach(e -> emit(sink, e));
            sink.emit(comment("following")); // headers out now, not with the first event
            while (!closed) {
                queries.awaitEvent(last, KEEP_ALIVE);
                // Read before the page: ids commit in order (one writer), so every match up to
                // head is in the page, and events the filter skips need not be read again.
                long head = queries.lastEventId();
                List<EventRecords.Numbered> next = queries.events(page, last);
                for (EventRecords.Numbered e : next) {
                    emit(sink, e);
                    last = e.id();
                }
                if (next.size() < PAGE) {
                    last = Math.max(last, head);
                }
                if (next.isEmpty()) {
                    // Nothing for this filter: the keep-alive also fails once the client is gone.
                    sink.emit(comment("keep-alive"));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (UncheckedIOException | IllegalStateException e) {
            // The client went away, or the store closed as the server stopped: the stream ends.
        }
    }

    /**
     * A comment line. Helidon's sink always writes a data field, so it is empty: clients
     * dispatch no event for empty data (the SSE processing model).
     */
    private static SseEvent comment(String text) {
        return SseEvent.builder().comment(text).data("").build();
    }

    private static void emit(SseSink sink, EventRecords.Numbered e) {
        sink.emit(SseEvent.builder().id(Long.toString(e.id())).name("event")
                .data(new String(Wire.write(ApiService.view(e)), StandardCharsets.UTF_8)).build());
    }

    /** Ends every stream within a moment. Idempotent. */
    @Override
    public void close() {
        closed = true;
        queries.wakeFollowers();
    }
}
