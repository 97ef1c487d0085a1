package dev.orchestrator.store;

import dev.orchestrator.api.Validation;
import java.time.Instant;

/**
 * Which events {@link StoreTx#events} returns: the newest {@code limit} events that match,
 * oldest first.
 *
 * @param service only events of this service, or null for all
 * @param since   only events with a timestamp at or after this instant, or null for all
 * @param limit   at most this many, 1..{@value #MAX_LIMIT}; 0 means {@value #DEFAULT_LIMIT}
 */
public record EventQuery(String service, Instant since, int limit) {
    /** The limit when none is given. */
    public static final int DEFAULT_LIMIT = 100;
    /** The largest limit. */
    public static final int MAX_LIMIT = 10_000;

    /** Validates the service name and the limit; applies the default limit. */
    public EventQuery {
        if (service != null) {
            Validation.dnsLabel("service", service);
        }
        if (limit == 0) {
            limit = DEFAULT_LIMIT;
        }
        Validation.range("limit", limit, 1, MAX_LIMIT);
    }

    /** @return the newest {@value #DEFAULT_LIMIT} events of any service */
    public static EventQuery latest() {
        return new EventQuery(null, null, DEFAULT_LIMIT);
    }

    /**
     * @param name a service name, or null for all
     * @return a copy filtered by service
     */
    public EventQuery withService(String name) {
        return new EventQuery(name, since, limit);
    }

    /**
     * @param from an instant, inclusive, or null for no lower bound
     * @return a copy filtered by time
     */
    public EventQuery withSince(Instant from) {
        return new EventQuery(service, from, limit);
    }

    /**
     * @param count 1..{@value #MAX_LIMIT}, or 0 for the default
     * @return a copy with another limit
     */
    public EventQuery withLimit(int count) {
        return new EventQuery(service, since, count);
    }
}
