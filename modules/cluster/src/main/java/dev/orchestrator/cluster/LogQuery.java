package dev.orchestrator.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * Which captured lines of a service to read or follow.
 *
 * @param service the service
 * @param replica one replica's lines only (e.g. {@code api-server-2}), or null for all
 * @param since   only lines at or after, or null
 * @param until   only lines before, or null (ignored when following)
 * @param tail    at most this many of the newest lines of each replica, 0 for all
 */
public record LogQuery(String service, String replica, Instant since, Instant until, int tail) {
    /** Validates. */
    public LogQuery {
        Objects.requireNonNull(service, "service");
        if (tail < 0) {
            throw new IllegalArgumentException("tail must not be negative");
        }
    }

    /**
     * @param e a line of this query's service
     * @return true if the line passes the replica and time filters
     */
    public boolean matches(LogEntry e) {
        if (replica != null && !replica.equals(e.replica())) {
            return false;
        }
        Instant t = e.instant();
        return (since == null || !t.isBefore(since)) && (until == null || t.isBefore(until));
    }

    /**
     * @param from where to resume
     * @return the same query for the lines after {@code from} (a stream that reconnects)
     */
    public LogQuery after(Instant from) {
        return new LogQuery(service, replica, from, until, 0);
    }
}
