package dev.orchestrator.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.spi.EventSink;
import dev.orchestrator.store.Assignment;
import dev.orchestrator.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's fencing decision, on a monotonic clock moved by hand (no thread: {@link Fence#check} by hand). */
class FenceTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final long S = 1_000_000_000L;

    @TempDir
    Path dir;
    private Store store;
    private final AtomicLong nanos = new AtomicLong(1_000 * S);
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<String> triggered = new CopyOnWriteArrayList<>();
    private final AtomicBoolean viewArrives = new AtomicBoolean(true);
    private Fence fence;

    @BeforeEach
    void open() {
        store = Store.open(dir);
        put("db", Duration.ofSeconds(10), 2);
        put("cache", Duration.ofSeconds(30), 1);
        put("web", null, 1); // availability first
        EventSink sink = (type, service, container, message) -> events.add(message);
        fence = new Fence("n1", store, nanos::get, sink, triggered::add, viewArrives::get);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void put(String name, Duration bound, int replicas) {
        store.services().put(new ServiceSpec(name, name + ":1", replicas, null, null, null, null, List.of(), null,
                List.of(), null).withStopAfterDisconnect(bound));
        for (int i = 0; i < replicas; i++) {
            // db-1 runs on another node: n1 stops only its own.
            store.assignments().put(new Assignment(name, i, i == 1 ? "n2" : "n1", null, T0, 0));
        }
    }

    private void after(double seconds) {
        nanos.addAndGet((long) (seconds * S));
    }

    @Test
    void aServiceIsFencedOnceTheSilenceReachesItsBound() {
        fence.heard(nanos.get());
        after(9.9);
        fence.check();
        assertEquals(Optional.empty(), fence.reason("db"), "9.9 s of silence: not yet");

        after(0.1);
        fence.check();

        assertEquals(Optional.of("lost the server for 10s (stop_after_disconnect)"), fence.reason("db"));
        assertEquals(List.of("Stopping db-0 on n1: lost the server for 10s (stop_after_disconnect)"), events,
                "only the replica on this node");
        assertEquals(List.of("db"), triggered);
        assertEquals(Optional.empty(), fence.reason("cache"), "its bound is 30 s");
        after(100);
        fence.check();
        assertEquals(Optional.empty(), fence.reason("web"), "availability first: never fenced");
        assertTrue(fence.reason("cache").isPresent());
        assertEquals(List.of("db", "cache"), triggered, "each fenced once");
    }

    @Test
    void theFenceLiftsAfterAnAcceptedReportAndAFreshView() {
        long lastSent = nanos.get();
        fence.heard(lastSent);
        after(12);
        fence.check();
        assertTrue(fence.reason("db").isPresent());

        fence.heard(lastSent); // a late answer to the report sent before the loss is no contact since
        fence.check();
        assertTrue(fence.reason("db").isPresent());

        fence.heard(nanos.get()); // a report sent now was accepted...
        viewArrives.set(false); // ...but the view cannot be fetched: the mirror may be stale
        fence.check();
        assertTrue(fence.reason("db").isPresent(), "no fresh view, no lift");

        viewArrives.set(true);
        after(1);
        fence.check();
        assertEquals(Optional.empty(), fence.reason("db"));
        assertEquals("n1 reaches the server again after 13s: db-0 follows its assignment again"
                + " (stop_after_disconnect)", events.getLast());
        assertEquals(List.of("db", "db"), triggered, "a pass to fence, one to follow the assignments");
    }

    @Test
    void aNodeCutOffFromItsStartCountsFromItsStart() {
        after(10);
        fence.check();
        assertTrue(fence.reason("db").isPresent());
    }

    @Test
    void reportsThatKeepGettingThroughNeverFence() {
        for (int i = 0; i < 40; i++) {
            after(1);
            fence.heard(nanos.get() - S / 2); // sent half a second ago
            fence.check();
        }
        assertEquals(List.of(), events);
        assertEquals(List.of(), triggered);
    }
}
