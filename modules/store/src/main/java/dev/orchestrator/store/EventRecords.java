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
     * Deletes all but the newest events.
     *
     * @param keepNewest how many of the newest events to keep, at least 0
     * @return how many were deleted
     */
    int prune(int keepNewest);
}
