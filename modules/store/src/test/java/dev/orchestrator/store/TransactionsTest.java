package dev.orchestrator.store;

import static dev.orchestrator.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Event;
import dev.orchestrator.api.OrchestratorException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionsTest {
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

    @Test
    void commitsEverythingTogether() {
        long id = store.inTransaction(tx -> {
            tx.services().put(Fixtures.minimal("api", 2));
            tx.replicas().put(Fixtures.replica("api", 0, ReplicaState.PENDING));
            return tx.events().append(new Event(T0, "deploy", "api", null, "deployed api"));
        });
        assertTrue(id > 0);
        assertEquals(1, store.services().all().size());
        assertEquals(1, store.replicas().ofService("api").size());
        assertEquals(1, store.events().query(EventQuery.latest()).size());
    }

    @Test
    void anExceptionRollsEverythingBack() {
        var boom = new IllegalStateException("boom");
        var thrown = assertThrows(IllegalStateException.class, () -> store.runInTransaction(tx -> {
            tx.services().put(Fixtures.minimal("api", 2));
            tx.events().append(new Event(T0, "deploy", "api", null, "deployed api"));
            assertTrue(tx.services().get("api").isPresent(), "a transaction sees its own writes");
            throw boom;
        }));
        assertSame(boom, thrown, "rethrown as is");
        assertEquals(Optional.empty(), store.services().get("api"));
        assertEquals(List.of(), store.events().query(EventQuery.latest()));
        // And the store is still usable.
        store.services().put(Fixtures.minimal("api", 1));
        assertEquals(1, store.services().all().size());
    }

    @Test
    void aFailedStatementRollsBackTheEarlierOnes() {
        var e = assertThrows(OrchestratorException.class, () -> store.runInTransaction(tx -> {
            tx.events().append(new Event(T0, "deploy", "api", null, "first"));
            tx.replicas().put(Fixtures.replica("ghost", 0, ReplicaState.RUNNING));
        }));
        assertTrue(e.getMessage().contains("ghost"), e.getMessage());
        assertEquals(List.of(), store.events().query(EventQuery.latest()));
    }

    @Test
    void uncommittedWritesAreInvisibleToOtherReaders() {
        store.runInTransaction(tx -> {
            tx.services().put(Fixtures.minimal("api", 2));
            assertEquals(Optional.empty(), store.services().get("api"));
        });
        assertTrue(store.services().get("api").isPresent());
    }

    @Test
    void transactionsDoNotNest() {
        assertThrows(IllegalStateException.class,
                () -> store.runInTransaction(tx -> store.services().put(Fixtures.minimal("api", 1))));
        assertThrows(IllegalStateException.class,
                () -> store.runInTransaction(tx -> store.runInTransaction(inner -> { })));
        assertEquals(List.of(), store.services().all());
    }

    @Test
    void aTxCannotBeUsedAfterItsWork() {
        var leaked = new AtomicReference<StoreTx>();
        store.runInTransaction(leaked::set);
        assertThrows(IllegalStateException.class, () -> leaked.get().services().all());
    }
}
