package dev.orchestrator.api;

import java.util.Locale;

/**
 * Whether a node takes part in the cluster right now, as its heartbeats tell. {@link #wireName()}
 * is how the store, the REST API and the node protocol spell it.
 */
public enum NodeStatus {
    /** Heartbeats arrive: the node can run replicas. */
    READY,
    /** Heartbeats stopped: nothing is placed there, its replicas are rescheduled elsewhere. */
    DOWN;

    /** @return {@code ready} or {@code down} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text a wire name
     * @return the status
     * @throws OrchestratorException {@code INVALID_ARGUMENT} for anything but {@code ready} or {@code down}
     */
    public static NodeStatus parse(String text) {
        for (NodeStatus s : values()) {
            if (s.wireName().equals(text)) {
                return s;
            }
        }
        throw OrchestratorException.invalid("node status must be 'ready' or 'down', got '" + text + "'");
    }
}
