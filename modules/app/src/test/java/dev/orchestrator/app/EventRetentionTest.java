package dev.orchestrator.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.orchestrator.api.Event;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.store.EventQuery;
import dev.orchestrator.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention on a real store: by count and by age, whichever deletes more. */
class EventRetentionTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void keepsTheNewestWithinCountAndAge() {
        try (Store store = Store.open(dir)) {
            // 150 events one minute apart, the last one now.
            for (int i = 149; i >= 0; i--) {
                store.events().append(new Event(NOW.minus(Duration.ofMinutes(i)), "deploy", "web", null, "e" + i));
            }
            Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
            assertEquals(50, new EventRetention(100, Duration.ofDays(1)).enforce(store, clock), "by count");
            assertEquals(0, new EventRetention(100, Duration.ofDays(1)).enforce(store, clock), "idempotent");
            // Older than 30 minutes: e31..e99 go, e0..e30 (30 minutes old is kept) stay.
            assertEquals(69, new EventRetention(100, Duration.ofMinutes(30)).enforce(store, clock), "by age");
            List<Event> left = store.events().query(EventQuery.latest().withLimit(1000));
            assertEquals(31, left.size());
            assertEquals("e30", left.getFirst().message());
            assertEquals("e0", left.getLast().message());
        }
    }

    @Test
    void boundsAreChecked() {
        assertThrows(OrchestratorException.class, () -> new EventRetention(99, Duration.ofDays(1)));
        assertThrows(OrchestratorException.class, () -> new EventRetention(1000, Duration.ofSeconds(59)));
        assertThrows(OrchestratorException.class, () -> new EventRetention(1000, Duration.ofDays(3651)));
    }
}
