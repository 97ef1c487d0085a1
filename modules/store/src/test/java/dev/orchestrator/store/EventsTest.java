package dev.orchestrator.store;

import static dev.orchestrator.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Event;
import dev.orchestrator.api.OrchestratorException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventsTest {
    @TempDir
    Path dir;
    Store store;

    @BeforeEach
    void open() {
        store = Store.open(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Events 0..n-1, one second apart, alternating between services a and b. */
    private List<Event> appendSome(int n) {
        var all = new ArrayList<Event>();
        for (int i = 0; i < n; i++) {
            var e = new Event(T0.plusSeconds(i), "health_check", i % 2 == 0 ? "a" : "b", "c-" + i, "event " + i);
            store.events().append(e);
            all.add(e);
        }
        return all;
    }

    @Test
    void idsGrowAndEventsRoundTrip() {
        long first = store.events().append(new Event(T0, "deploy", null, null, "no service"));
        long second = store.events().append(new Event(T0.plusMillis(1), "deploy", "a", "a-0", "x"));
        assertTrue(second > first);
        assertEquals(List.of(new Event(T0, "deploy", null, null, "no service"),
                new Event(T0.plusMillis(1), "deploy", "a", "a-0", "x")), store.events().query(EventQuery.latest()));
    }

    @Test
    void returnsTheNewestMatchingOldestFirst() {
        List<Event> all = appendSome(10);
        assertEquals(all, store.events().query(EventQuery.latest()));
        assertEquals(all.subList(7, 10), store.events().query(EventQuery.latest().withLimit(3)));
        assertEquals(List.of(all.get(5), all.get(7), all.get(9)),
                store.events().query(EventQuery.latest().withService("b").withLimit(3)));
        assertEquals(List.of(), store.events().query(EventQuery.latest().withService("zzz")));
    }

    @Test
    void sinceIsInclusive() {
        List<Event> all = appendSome(10);
        assertEquals(all.subList(6, 10), store.events().query(EventQuery.latest().withSince(T0.plusSeconds(6))));
        assertEquals(List.of(all.get(6), all.get(8)),
                store.events().query(EventQuery.latest().withSince(T0.plusSeconds(6)).withService("a")));
        assertEquals(List.of(all.get(8)),
                store.events().query(EventQuery.latest().withSince(T0.plusSeconds(6)).withService("a").withLimit(1)));
        assertEquals(List.of(), store.events().query(EventQuery.latest().withSince(T0.plusSeconds(60))));
    }

    @Test
    void pruneKeepsTheNewest() {
        List<Event> all = appendSome(10);
        assertEquals(6, store.events().prune(4));
        assertEquals(all.subList(6, 10), store.events().query(EventQuery.latest()));
        assertEquals(0, store.events().prune(4));
        assertEquals(0, store.events().prune(100));
        long next = store.events().append(new Event(T0, "x", null, null, "after prune"));
        assertTrue(next > 10, "ids are never reused");
        assertEquals(5, store.events().prune(0));
        assertEquals(List.of(), store.events().query(EventQuery.latest()));
        assertThrows(OrchestratorException.class, () -> store.events().prune(-1));
    }

    @Test
    void queryLimits() {
        assertEquals(EventQuery.DEFAULT_LIMIT, new EventQuery(null, null, 0).limit());
        assertEquals(EventQuery.MAX_LIMIT, new EventQuery(null, null, EventQuery.MAX_LIMIT).limit());
        assertThrows(OrchestratorException.class, () -> new EventQuery(null, null, EventQuery.MAX_LIMIT + 1));
        assertThrows(OrchestratorException.class, () -> new EventQuery(null, null, -1));
        assertThrows(OrchestratorException.class, () -> new EventQuery("Not A Name", null, 1));
        appendSome(150);
        assertEquals(100, store.events().query(EventQuery.latest()).size());
        assertEquals(150, store.events().query(EventQuery.latest().withLimit(EventQuery.MAX_LIMIT)).size());
    }

    @Test
    void filtersByTypeAndNodeAndPagesAfterAnId() {
        store.events().append(new Event(T0, "node", null, null, "Node n1 down", "n1"));
        store.events().append(new Event(T0.plusSeconds(1), "container", "a", "a-0", "Container a-0 running", "n2"));
        store.events().append(new Event(T0.plusSeconds(2), "container", "a", "a-1", "Container a-1 running", "n1"));
        List<EventRecords.Numbered> all = store.events().read(EventQuery.latest());
        assertEquals(3, all.size());
        assertEquals(List.of("Container a-0 running", "Container a-1 running"),
                store.events().query(EventQuery.latest().withType("container")).stream().map(Event::message).toList());
        assertEquals(List.of("Node n1 down", "Container a-1 running"),
                store.events().query(EventQuery.latest().withNode("n1")).stream().map(Event::message).toList());
        long first = all.getFirst().id();
        assertEquals(List.of(all.get(1), all.get(2)), store.events().read(EventQuery.latest().withAfterId(first)));
        // After an id the page is the oldest ones, not the newest.
        assertEquals(List.of(all.get(1)), store.events().read(EventQuery.latest().withAfterId(first).withLimit(1)));
        assertEquals(List.of(all.get(2)),
                store.events().read(EventQuery.latest().withAfterId(first).withNode("n1")));
        assertThrows(OrchestratorException.class, () -> EventQuery.latest().withType("Bad Type"));
        assertThrows(OrchestratorException.class, () -> EventQuery.latest().withAfterId(-1));
    }

    @Test
    void retentionByAgeDeletesOnlyOlderEvents() {
        List<Event> all = appendSome(10);
        assertEquals(4, store.events().pruneBefore(T0.plusSeconds(4)));
        assertEquals(all.subList(4, 10), store.events().query(EventQuery.latest()));
    }

    @Test
    void aFollowerWakesWhenAnEventCommitsNotBefore() throws Exception {
        long id = store.events().append(new Event(T0, "deploy", "a", null, "first"));
        long start = System.nanoTime();
        store.awaitEvent(id, java.time.Duration.ofMillis(200));
        assertTrue(System.nanoTime() - start >= 150_000_000L, "nothing new: waits out its bound");
        var woke = new java.util.concurrent.CountDownLatch(1);
        Thread follower = Thread.ofVirtual().start(() -> {
            try {
                store.awaitEvent(id, java.time.Duration.ofMinutes(1));
                woke.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        // An event appended and rolled back wakes nobody.
        assertThrows(IllegalStateException.class, () -> store.runInTransaction(tx -> {
            tx.events().append(new Event(T0, "deploy", "a", null, "rolled back"));
            throw new IllegalStateException("abort");
        }));
        assertTrue(!woke.await(300, java.util.concurrent.TimeUnit.MILLISECONDS), "a rolled-back event wakes no one");
        store.runInTransaction(tx -> tx.events().append(new Event(T0, "deploy", "a", null, "second")));
        assertTrue(woke.await(5, java.util.concurrent.TimeUnit.SECONDS), "a committed event wakes the follower");
        follower.join();
    }
}
