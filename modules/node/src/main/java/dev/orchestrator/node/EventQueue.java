package dev.orchestrator.node;

import dev.orchestrator.api.spi.EventSink;
import dev.orchestrator.cluster.Protocol;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The agent's events on their way to the server: each heartbeat carries those not yet
 * acknowledged, the reply acknowledges them. Bounded: while the server is away the oldest are
 * dropped beyond {@value #LIMIT}. Thread-safe.
 */
final class EventQueue implements EventSink {
    static final int LIMIT = 10_000;
    private final Clock clock;
    private final Deque<Protocol.Event> queue = new ArrayDeque<>();
    private long next;
    private volatile Runnable onEmit = () -> { };

    EventQueue(Clock clock) {
        this.clock = clock;
        // Ids grow across restarts of the agent (the server drops ids it has already stored):
        // start from the clock, in microseconds, well above any id of an earlier run.
        this.next = clock.millis() * 1000;
    }

    @Override
    public synchronized void emit(String type, String service, String container, String message) {
        queue.addLast(new Protocol.Event(next++, clock.millis(), type, service, container, message));
        while (queue.size() > LIMIT) {
            queue.removeFirst();
        }
        onEmit.run();
    }

    /** @param listener told (under this queue's lock: it must not block) after each event */
    void onEmit(Runnable listener) {
        this.onEmit = listener;
    }

    /** @return the unacknowledged events, oldest first */
    synchronized List<Protocol.Event> pending() {
        return new ArrayList<>(queue);
    }

    /** @param upTo the id of the last event the server stored */
    synchronized void ack(long upTo) {
        while (!queue.isEmpty() && queue.peekFirst().id() <= upTo) {
            queue.removeFirst();
        }
    }
}
