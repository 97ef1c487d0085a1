package dev.orchestrator.store;

import dev.orchestrator.api.Event;
import java.util.List;

/** The event log. See {@link StoreTx} for threading, blocking and failures. */
public interface EventRecords {
    /**
     * Appends an event.
     *
     * @param event the event
     * @return its id: increasing in append order, never reused, even after {@link #prune}
     */
    long append(Event event);

    /**
     * Reads events: of those that match {@code query}, the newest {@code query.limit()} in
     * append order (oldest first). Append order is the timestamp order whenever the appenders'
     * clocks are.
     *
     * @param query filters and limit
     * @return the events
     */
    List<Event> query(EventQuery query);

    /**
     * {@link #query} with the events' ids, for clients that resume after the last id they saw.
     *
     * @param query filters, limit and the id to read after
     * @return the events, oldest first
     */
    List<Numbered> read(EventQuery query);

    /**
     * Deletes the events older than an instant.
     *
     * @param before an instant
     * @return how many were deleted
     */
    int pruneBefore(java.time.Instant before);

    /**
     * An event and its id.
     *
     * @param id    its id: increasing in append order, never reused
     * @param event the event
     */
    record Numbered(long id, Event event) {
    }

    /**
     * Deletes all but the newest events.
     *
     * @param keepNewest how many of the newest events to keep, at least 0
     * @return how many were deleted
     */
    int prune(int keepNewest);
}
