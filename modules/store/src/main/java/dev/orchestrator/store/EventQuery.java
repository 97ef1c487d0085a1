package dev.orchestrator.store;

import dev.orchestrator.api.Validation;
import java.time.Instant;

/**
 * Which events {@link StoreTx#events} returns: without {@code afterId}, the newest
 * {@code limit} events that match, oldest first; with it, the oldest {@code limit} matching
 * events after that id (a follower's next page).
 *
 * @param service only events of this service, or null for all
 * @param type    only events of this type (e.g. {@code container}), or null for all
 * @param node    only events about this node, or null for all
 * @param since   only events with a timestamp at or after this instant, or null for all
 * @param afterId only events with a larger id; 0 for the newest
 * @param limit   at most this many, 1..{@value #MAX_LIMIT}; 0 means {@value #DEFAULT_LIMIT}
 */
public record EventQuery(String service, String type, String node, Instant since, long afterId, int limit) {
    /** The limit when none is given. */
    public static final int DEFAULT_LIMIT = 100;
    /** The largest limit. */
    public static final int MAX_LIMIT = 10_000;

    /** Validates names, the id and the limit; applies the default limit. */
    public EventQuery {
        if (service != null) {
            Validation.dnsLabel("service", service);
        }
        if (node != null) {
            Validation.dnsLabel("node", node);
        }
        if (type != null && !type.matches("[a-z][a-z_]{0,31}")) {
            throw dev.orchestrator.api.OrchestratorException.invalid("type must be a lower-case word of at most 32"
                    + " letters or '_' (e.g. container, health_check), got '" + type + "'");
        }
        if (afterId < 0) {
            throw dev.orchestrator.api.OrchestratorException.invalid("after id must not be negative, got " + afterId);
        }
        if (limit == 0) {
            limit = DEFAULT_LIMIT;
        }
        Validation.range("limit", limit, 1, MAX_LIMIT);
    }

    /** Filtered by service and time only. */
    public EventQuery(String service, Instant since, int limit) {
        this(service, null, null, since, 0, limit);
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
        return new EventQuery(name, type, node, since, afterId, limit);
    }

    /**
     * @param kind an event type, or null for all
     * @return a copy filtered by type
     */
    public EventQuery withType(String kind) {
        return new EventQuery(service, kind, node, since, afterId, limit);
    }

    /**
     * @param name a node name, or null for all
     * @return a copy filtered by node
     */
    public EventQuery withNode(String name) {
        return new EventQuery(service, type, name, since, afterId, limit);
    }

    /**
     * @param from an instant, inclusive, or null for no lower bound
     * @return a copy filtered by time
     */
    public EventQuery withSince(Instant from) {
        return new EventQuery(service, type, node, from, afterId, limit);
    }

    /**
     * @param id an event id; 0 for the newest events instead
     * @return a copy reading the events after that id, oldest first
     */
    public EventQuery withAfterId(long id) {
        return new EventQuery(service, type, node, since, id, limit);
    }

    /**
     * @param count 1..{@value #MAX_LIMIT}, or 0 for the default
     * @return a copy with another limit
     */
    public EventQuery withLimit(int count) {
        return new EventQuery(service, type, node, since, afterId, count);
    }
}
