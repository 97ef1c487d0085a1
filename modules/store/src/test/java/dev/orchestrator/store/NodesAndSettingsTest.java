package dev.orchestrator.store;

import static dev.orchestrator.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Availability;
import dev.orchestrator.api.NodeStatus;
import dev.orchestrator.api.OrchestratorException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodesAndSettingsTest {
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
    void nodeCredentialsAreReplacedOnRejoinAndRevokedByDelete() {
        String a = "a".repeat(64);
        String b = "b".repeat(64);
        assertEquals(Optional.empty(), store.credentials().get("node-2"));
        store.credentials().put(new NodeCredential("node-2", a, T0));
        store.credentials().put(new NodeCredential("node-2", b, T0.plusSeconds(5)));
        assertEquals(Optional.of(new NodeCredential("node-2", b, T0.plusSeconds(5))), store.credentials().get("node-2"));
        assertTrue(store.credentials().delete("node-2"));
        assertFalse(store.credentials().delete("node-2"));
        assertEquals(Optional.empty(), store.credentials().get("node-2"));
        assertThrows(OrchestratorException.class, () -> new NodeCredential("node-2", "short", T0));
    }

    @Test
    void nodesUpsertListAndDelete() {
        var n2 = new NodeRecord("node-2", "10.0.0.2:7070", Map.of("zone", "b"), 8, 16L << 30, NodeStatus.READY,
                Availability.ACTIVE, null, null);
        var n1 = new NodeRecord("node-1", "local", null, 4, 8L << 30, NodeStatus.READY, Availability.ACTIVE, "27.3.1",
                T0);
        store.nodes().put(n2);
        store.nodes().put(n1);
        assertEquals(List.of(n1, n2), store.nodes().all());
        assertEquals(Map.of(), store.nodes().get("node-1").orElseThrow().labels());

        var down = new NodeRecord("node-2", "10.0.0.2:7070", Map.of("zone", "b", "disk", "ssd"), 8, 16L << 30,
                NodeStatus.DOWN, Availability.CORDONED,
                "27.3.1", T0.plusSeconds(30));
        store.nodes().put(down);
        assertEquals(Optional.of(down), store.nodes().get("node-2"));

        assertTrue(store.nodes().delete("node-2"));
        assertFalse(store.nodes().delete("node-2"));
        assertEquals(List.of(n1), store.nodes().all());
    }

    @Test
    void nodeValidation() {
        assertThrows(OrchestratorException.class,
                () -> new NodeRecord("", "local", null, 1, 1, NodeStatus.READY, Availability.ACTIVE, null, null));
        assertThrows(OrchestratorException.class,
                () -> new NodeRecord("n", " ", null, 1, 1, NodeStatus.READY, Availability.ACTIVE, null, null));
        assertThrows(OrchestratorException.class,
                () -> new NodeRecord("n", "local", null, -1, 1, NodeStatus.READY, Availability.ACTIVE, null, null));
        assertThrows(OrchestratorException.class,
                () -> new NodeRecord("n", "local", null, 1, 1, null, Availability.ACTIVE, null, null));
        assertThrows(OrchestratorException.class, () -> NodeStatus.parse("READY"));
        assertThrows(OrchestratorException.class, () -> Availability.parse("paused"));
        assertEquals(NodeStatus.DOWN, NodeStatus.parse("down"));
        assertEquals("draining", Availability.DRAINING.wireName());
    }

    @Test
    void settingsGetAndPut() {
        assertEquals(Optional.empty(), store.settings().get("events.keep"));
        store.settings().put("events.keep", "10000");
        store.settings().put("events.keep", "5000");
        assertEquals(Optional.of("5000"), store.settings().get("events.keep"));
        store.settings().put("motd", "");
        assertEquals(Optional.of(""), store.settings().get("motd"));
        assertThrows(OrchestratorException.class, () -> store.settings().put("bad key", "x"));
    }
}
