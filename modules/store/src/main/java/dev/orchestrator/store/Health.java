package dev.orchestrator.store;

import dev.orchestrator.api.OrchestratorException;
import java.util.Locale;

/**
 * What a replica's health check says. {@link #wireName()} is how the store, the REST API and the
 * node protocol spell it.
 */
public enum Health {
    /** The service has no health check. */
    NONE,
    /** The check has not passed yet (within the start period, or not run yet). */
    STARTING,
    /** The check passes. */
    HEALTHY,
    /** The check failed often enough in a row. */
    UNHEALTHY,
    /** Not known: the node's container engine is unreachable. */
    UNKNOWN;

    /** @return e.g. {@code healthy} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text a wire name
     * @return the health
     * @throws OrchestratorException {@code INVALID_ARGUMENT} for an unknown word
     */
    public static Health parse(String text) {
        for (Health h : values()) {
            if (h.wireName().equals(text)) {
                return h;
            }
        }
        throw OrchestratorException.invalid("unknown health '" + text + "'");
    }
}
