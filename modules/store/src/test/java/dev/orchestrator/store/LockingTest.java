package dev.orchestrator.store;

import static dev.orchestrator.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Event;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The store against another connection to the same file, as another process would hold it. */
class LockingTest {
    @TempDir
    Path dir;

    @Test
    void idleConnectionsHoldNoLock() throws Exception {
        try (Store store = Store.open(dir)) {
            store.events().append(new Event(T0, "x", null, null, "m"));
            store.runInTransaction(tx -> tx.settings().put("a", "b"));
            store.events().query(EventQuery.latest());
            try (Connection other = Fixtures.jdbc(dir); Statement s = other.createStatement()) {
                s.execute("PRAGMA busy_timeout = 0");
                // Fails at once with SQLITE_BUSY if a pooled connection still holds a transaction.
                s.execute("BEGIN IMMEDIATE");
                s.execute("INSERT INTO settings VALUES ('c', 'd', 0)");
                s.execute("COMMIT");
            }
            assertEquals("d", store.settings().get("c").orElseThrow());
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aWriteWaitsForAnotherProcesssWriteLock() throws Exception {
        try (Store store = Store.open(dir); Connection other = Fixtures.jdbc(dir);
             Statement s = other.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            long start = System.nanoTime();
            var write = CompletableFuture.supplyAsync(() -> store.events().append(new Event(T0, "x", null, null,
                    "waited")));
            Thread.sleep(500);
            // Readers are not blocked by a writer (WAL).
            assertEquals(0, store.events().query(EventQuery.latest()).size());
            s.execute("COMMIT");
            long id = write.get(10, TimeUnit.SECONDS);
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(id > 0);
            assertTrue(waitedMillis >= 400, "the write waited for the lock: " + waitedMillis + " ms");
            assertEquals(1, store.events().query(EventQuery.latest()).size());
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aWriteGivesUpWithStoreUnavailableWhenAnotherProcessKeepsTheLockPastTheBusyTimeout() throws Exception {
        try (Store store = Store.open(dir); Connection other = Fixtures.jdbc(dir);
             Statement s = other.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
            long start = System.nanoTime();
            var e = org.junit.jupiter.api.Assertions.assertThrows(dev.orchestrator.api.OrchestratorException.class,
                    () -> store.events().append(new Event(T0, "x", null, null, "blocked")));
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            // 503 to a client, not 500: the operator can end the other process and retry.
            assertEquals(dev.orchestrator.api.ErrorCode.STORE_UNAVAILABLE, e.code(), e::toString);
            assertTrue(e.getMessage().contains("another process holds the database's lock"), e.getMessage());
            assertTrue(waitedMillis >= Store.BUSY_TIMEOUT_MILLIS - 200, "waited the busy timeout: " + waitedMillis);
            assertEquals(0, store.events().query(EventQuery.latest()).size(), "reads go on (WAL)");
            s.execute("ROLLBACK");
            assertTrue(store.events().append(new Event(T0, "x", null, null, "after")) > 0, "writes again");
        }
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefusedUntilTheFirstCloses() {
        try (Store first = Store.open(dir)) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(dev.orchestrator.api.OrchestratorException.class,
                    () -> Store.open(dir));
            assertEquals(dev.orchestrator.api.ErrorCode.CONFLICT, e.code());
            assertTrue(e.getMessage().contains("is in use by another orchestrator process (pid "
                    + ProcessHandle.current().pid() + ", since "), e.getMessage());
            assertEquals(0, first.events().query(EventQuery.latest()).size(), "the first store is unharmed");
        }
        try (Store again = Store.open(dir)) {
            assertEquals(Migrations.production().latest(), again.schemaVersion());
        }
    }
}
