package dev.orchestrator.api.spi;

/**
 * Where plugins report orchestration events. Thread-safe; never blocks for long (events are
 * queued); never throws. Messages must not contain secrets.
 */
@FunctionalInterface
public interface EventSink {
    /**
     * Records an event now.
     *
     * @param type      the event type, e.g. {@code health_check}
     * @param service   the service, or null
     * @param container the replica name, or null
     * @param message   the text
     */
    void emit(String type, String service, String container, String message);

    /**
     * Records an event about a node now. Sinks that keep no node drop it.
     *
     * @param type      the event type, e.g. {@code node}
     * @param service   the service, or null
     * @param container the replica name, or null
     * @param message   the text
     * @param node      the node concerned, or null
     */
    default void emit(String type, String service, String container, String message, String node) {
        emit(type, service, container, message);
    }
}
