package dev.orchestrator.store;

import static dev.orchestrator.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicasTest {
    @TempDir
    Path dir;
    Store store;

    @BeforeEach
    void open() {
        store = Store.open(dir);
        store.services().put(Fixtures.minimal("api", 3));
        store.services().put(Fixtures.minimal("worker", 1));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void upsertInsertsThenOverwrites() {
        var pending = new ReplicaRecord("api", 0, null, null, null, 1, ReplicaState.PENDING, Health.NONE, 0, null, 0,
                null, T0);
        store.replicas().put(pending);
        assertEquals(Optional.of(pending), store.replicas().get("api", 0));
        assertEquals("", pending.message());

        var running = new ReplicaRecord("api", 0, "node-1", "abc123", "api-0", 1, ReplicaState.RUNNING, Health.HEALTHY,
                2, 137,
                32768, "restarted after exit 137", T0.plusSeconds(5));
        store.replicas().put(running);
        assertEquals(List.of(running), store.replicas().ofService("api"));
    }

    @Test
    void listsByServiceAndIndex() {
        store.replicas().put(Fixtures.replica("worker", 0, ReplicaState.RUNNING));
        store.replicas().put(Fixtures.replica("api", 2, ReplicaState.RUNNING));
        store.replicas().put(Fixtures.replica("api", 0, ReplicaState.EXITED));
        store.replicas().put(Fixtures.replica("api", 1, ReplicaState.RESTARTING));
        assertEquals(List.of(0, 1, 2), store.replicas().ofService("api").stream().map(ReplicaRecord::index).toList());
        assertEquals(List.of("api-0", "api-1", "api-2", "worker-0"),
                store.replicas().all().stream().map(r -> r.service() + "-" + r.index()).toList());
        assertEquals(List.of(), store.replicas().ofService("nope"));
    }

    @Test
    void deletesOneOrAll() {
        for (int i = 0; i < 3; i++) {
            store.replicas().put(Fixtures.replica("api", i, ReplicaState.RUNNING));
        }
        store.replicas().put(Fixtures.replica("worker", 0, ReplicaState.RUNNING));
        assertTrue(store.replicas().delete("api", 1));
        assertFalse(store.replicas().delete("api", 1));
        assertEquals(List.of(0, 2), store.replicas().ofService("api").stream().map(ReplicaRecord::index).toList());
        assertEquals(2, store.replicas().deleteOfService("api"));
        assertEquals(0, store.replicas().deleteOfService("api"));
        assertEquals(1, store.replicas().all().size());
    }

    @Test
    void aReplicaNeedsItsService() {
        var e = assertThrows(OrchestratorException.class,
                () -> store.replicas().put(Fixtures.replica("ghost", 0, ReplicaState.RUNNING)));
        assertEquals(ErrorCode.NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains("'ghost'"), e.getMessage());
    }

    @Test
    void validatesFields() {
        assertThrows(OrchestratorException.class,
                () -> new ReplicaRecord("api", -1, null, null, null, 1, ReplicaState.PENDING, Health.NONE, 0, null, 0,
                null, T0));
        assertThrows(OrchestratorException.class,
                () -> new ReplicaRecord("api", 0, null, null, null, 1, null, Health.NONE, 0, null, 0, null, T0));
        assertThrows(OrchestratorException.class, () -> ReplicaState.parse("Running!"));
        assertThrows(OrchestratorException.class, () -> Health.parse("fine"));
        assertEquals(ReplicaState.RESTARTING, ReplicaState.parse("restarting"));
        assertEquals("unhealthy", Health.UNHEALTHY.wireName());
        assertThrows(OrchestratorException.class,
                () -> new ReplicaRecord("api", 0, null, null, null, 0, ReplicaState.PENDING, Health.NONE, 0, null, 0,
                null, T0));
        assertThrows(OrchestratorException.class,
                () -> new ReplicaRecord("api", 0, null, null, null, 1, ReplicaState.PENDING, Health.NONE, 0, null,
                70000, null, T0));
    }
}
