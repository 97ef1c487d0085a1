package dev.orchestrator.store;

import static dev.orchestrator.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Availability;
import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.Event;
import dev.orchestrator.api.NodeStatus;
import dev.orchestrator.api.OrchestratorException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistenceTest {
    @TempDir
    Path dir;

    @Test
    void everythingSurvivesCloseAndReopen() {
        var clock = new dev.orchestrator.testkit.ManualClock(Fixtures.T0);
        var replica = new ReplicaRecord("api", 1, "node-2", "abc", "api-1", 1, ReplicaState.RUNNING, Health.HEALTHY, 1,
                0, 40001,
                "", T0);
        var node = new NodeRecord("node-2", "10.0.0.2:7070", Map.of("disk", "ssd", "zone", "a"), 4, 8L << 30,
                NodeStatus.READY, Availability.ACTIVE, "27.3.1", T0);
        var event = new Event(T0, "deploy", "api", null, "deployed api");
        String hash = Passwords.hash("s3cret".toCharArray());
        ServiceRecord service;
        try (Store store = Store.open(dir, clock)) {
            service = store.services().put(Fixtures.full("api", 3));
            store.replicas().put(replica);
            store.nodes().put(node);
            store.events().append(event);
            store.users().put("admin", hash);
            store.settings().put("cluster.name", "prod");
        }
        try (Store store = Store.open(dir, clock)) {
            assertEquals(List.of(service), store.services().all());
            assertEquals(List.of(replica), store.replicas().all());
            assertEquals(List.of(node), store.nodes().all());
            assertEquals(List.of(event), store.events().query(EventQuery.latest()));
            assertEquals(Optional.of(hash), store.users().passwordHash("admin"));
            assertEquals(Optional.of("prod"), store.settings().get("cluster.name"));
        }
    }

    @Test
    void aClosedStoreRefusesWork() {
        Store store = Store.open(dir);
        store.close();
        store.close();
        assertThrows(IllegalStateException.class, () -> store.services().all());
        assertThrows(IllegalStateException.class, () -> store.settings().put("a", "b"));
    }

    @Test
    void anUnusableDataDirectoryIsReported() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        var e = assertThrows(OrchestratorException.class, () -> Store.open(file));
        assertEquals(ErrorCode.INTERNAL, e.code());
        assertTrue(e.getMessage().contains("data directory"), e.getMessage());
    }

    @Test
    void aCorruptDatabaseIsReportedAsInternal() throws Exception {
        Files.writeString(dir.resolve(Store.FILE_NAME), "this is not an SQLite database, just text ".repeat(100));
        var e = assertThrows(OrchestratorException.class, () -> Store.open(dir));
        assertEquals(ErrorCode.INTERNAL, e.code());
        assertTrue(e.getMessage().startsWith("state store: "), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve(Store.FILE_NAME).toString()), e.getMessage());
        assertFalse(e.getMessage().contains("###"), "no MyBatis dump in the message: " + e.getMessage());
    }
}
