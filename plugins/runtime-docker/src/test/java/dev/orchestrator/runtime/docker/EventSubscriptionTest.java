package dev.orchestrator.runtime.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.spi.RuntimeEvent;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class EventSubscriptionTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final System.Logger LOG = System.getLogger(EventSubscriptionTest.class.getName());

    private final BlockingQueue<RuntimeEvent> received = new LinkedBlockingQueue<>();

    @Test
    void firstStreamDeliversEventsWithoutResync() throws Exception {
        ScriptedSource source = new ScriptedSource(List.of(sink -> {
            sink.connected();
            sink.event(event("a"));
        }));

        try (EventSubscription s = EventSubscription.start(source, received::add, CLOCK, LOG)) {
            assertEquals("a", next().containerId());
            assertNull(received.poll(200, TimeUnit.MILLISECONDS));
            assertTrue(s.alive());
        }
    }

    @Test
    void reconnectsAfterFailuresAndResyncsOnceUp() throws Exception {
        ScriptedSource source = new ScriptedSource(List.of(
                sink -> sink.ended(new IOException("connection refused")),
                sink -> {
                    sink.connected();
                    sink.event(event("a"));
                    sink.ended(new IOException("reset"));
                },
                sink -> {
                    sink.connected();
                    sink.event(event("b"));
                }));

        try (EventSubscription s = EventSubscription.start(source, received::add, CLOCK, LOG)) {
            assertEquals(RuntimeEvent.Type.RESYNC, next().type());
            assertEquals("a", next().containerId());
            RuntimeEvent resync = next();
            assertEquals(RuntimeEvent.Type.RESYNC, resync.type());
            assertEquals(CLOCK.instant(), resync.time());
            assertEquals("b", next().containerId());
            assertTrue(s.alive());
        }
    }

    @Test
    void backsOffDoublingWhileTheRuntimeStaysAway() throws Exception {
        List<Consumer<EventSubscription.Sink>> script = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            script.add(sink -> sink.ended(new IOException("down")));
        }
        ScriptedSource source = new ScriptedSource(script);

        EventSubscription s = EventSubscription.start(source, received::add, CLOCK, LOG);
        try {
            assertTrue(source.awaitOpens(5, 5_000));
        } finally {
            s.close();
        }
        List<Long> at = source.openedAt;
        assertTrue(at.get(1) - at.get(0) >= 90, "first wait ~100 ms: " + at);
        assertTrue(at.get(2) - at.get(1) >= 190, "second wait ~200 ms: " + at);
        assertTrue(at.get(3) - at.get(2) >= 390, "third wait ~400 ms: " + at);
    }

    @Test
    void closeStopsTheStreamAndTheThread() throws Exception {
        ScriptedSource source = new ScriptedSource(List.of(EventSubscription.Sink::connected));
        EventSubscription s = EventSubscription.start(source, received::add, CLOCK, LOG);
        assertTrue(source.awaitOpens(1, 2_000));

        s.close();

        assertFalse(s.alive());
        assertTrue(source.lastHandleClosed.get());
        s.close(); // idempotent
    }

    @Test
    void aFailingListenerDoesNotEndTheSubscription() throws Exception {
        ScriptedSource source = new ScriptedSource(List.of(sink -> {
            sink.connected();
            sink.event(event("boom"));
            sink.event(event("ok"));
        }));
        Consumer<RuntimeEvent> listener = e -> {
            if (e.containerId().equals("boom")) {
                throw new IllegalStateException("listener bug");
            }
            received.add(e);
        };

        try (EventSubscription s = EventSubscription.start(source, listener, CLOCK, LOG)) {
            assertEquals("ok", next().containerId());
            assertTrue(s.alive());
        }
    }

    private RuntimeEvent next() throws InterruptedException {
        RuntimeEvent e = received.poll(5, TimeUnit.SECONDS);
        assertTrue(e != null, "no event within 5 s");
        return e;
    }

    private static RuntimeEvent event(String id) {
        return new RuntimeEvent(RuntimeEvent.Type.START, id, Map.of(), 0, Instant.EPOCH);
    }

    /** Plays one step per open; once the script is done, streams stay open and silent. */
    private static final class ScriptedSource implements EventSubscription.Source {
        private final List<Consumer<EventSubscription.Sink>> steps;
        final List<Long> openedAt = new CopyOnWriteArrayList<>();
        final AtomicBoolean lastHandleClosed = new AtomicBoolean();

        ScriptedSource(List<Consumer<EventSubscription.Sink>> steps) {
            this.steps = steps;
        }

        @Override
        public AutoCloseable open(EventSubscription.Sink sink) {
            int n = openedAt.size();
            openedAt.add(System.nanoTime() / 1_000_000);
            lastHandleClosed.set(false);
            if (n < steps.size()) {
                steps.get(n).accept(sink);
            } else {
                sink.connected();
            }
            return () -> lastHandleClosed.set(true);
        }

        boolean awaitOpens(int count, long millis) throws InterruptedException {
            long end = System.currentTimeMillis() + millis;
            while (openedAt.size() < count && System.currentTimeMillis() < end) {
                Thread.sleep(10);
            }
            return openedAt.size() >= count;
        }
    }
}
