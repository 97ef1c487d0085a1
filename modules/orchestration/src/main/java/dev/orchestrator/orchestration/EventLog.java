package dev.orchestrator.orchestration;

import dev.orchestrator.api.Event;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.EventSink;
import dev.orchestrator.store.Store;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;

/**
 * The event sink of the control plane: each event is persisted in the store and logged.
 * (Crash loops are kept from flooding it by the reconciler, which summarises them.)
 * Thread-safe; never throws.
 */
public final class EventLog implements EventSink {
    private static final System.Logger LOG = System.getLogger(EventLog.class.getName());
    private final Store store;
    private final Clock clock;

    /**
     * @param store where events are kept
     * @param clock the clock
     */
    public EventLog(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void emit(String type, String service, String container, String message) {
        emit(type, service, container, message, null);
    }

    @Override
    public void emit(String type, String service, String container, String message, String node) {
        Instant now = clock.instant();
        LOG.log(Level.INFO, "[{0}] {1}", type, message);
        try {
            store.events().append(new Event(now, type, service, container, message, node));
        } catch (OrchestratorException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, "event not stored: " + e.getMessage());
        }
    }
}
