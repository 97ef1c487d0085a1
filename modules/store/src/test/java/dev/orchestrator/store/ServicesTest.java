package dev.orchestrator.store;

import static dev.orchestrator.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.ServiceSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServicesTest {
    @TempDir
    Path dir;
    final dev.orchestrator.testkit.ManualClock clock = new dev.orchestrator.testkit.ManualClock(Fixtures.T0);
    Store store;

    @BeforeEach
    void open() {
        store = Store.open(dir, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aNewServiceHasRevisionOne() {
        ServiceRecord r = store.services().put(Fixtures.full("api", 3));
        assertEquals(1, r.revision());
        assertEquals(T0, r.createdAt());
        assertEquals(T0, r.updatedAt());
        assertEquals(r, store.services().get("api").orElseThrow());
    }

    @Test
    void theSpecRoundTripsExactly() {
        ServiceSpec spec = Fixtures.full("api", 3);
        store.services().put(spec);
        assertEquals(spec, store.services().get("api").orElseThrow().spec());
        ServiceSpec minimal = Fixtures.minimal("worker", 0);
        store.services().put(minimal);
        assertEquals(minimal, store.services().get("worker").orElseThrow().spec());
    }

    @Test
    void revisionGrowsOnSpecChangesOnly() {
        store.services().put(Fixtures.full("api", 3));
        clock.advance(Duration.ofSeconds(1));

        ServiceRecord same = store.services().put(Fixtures.full("api", 3));
        assertEquals(1, same.revision(), "nothing changed");
        assertEquals(T0, same.updatedAt(), "nothing changed, nothing written");

        ServiceRecord scaled = store.services().put(Fixtures.full("api", 5));
        assertEquals(1, scaled.revision(), "only replicas changed");
        assertEquals(T0.plusSeconds(1), scaled.updatedAt());
        assertEquals(5, store.services().get("api").orElseThrow().spec().replicas());

        ServiceSpec old = Fixtures.full("api", 5);
        ServiceSpec newImage = new ServiceSpec("api", "myapp:2", 5, old.ports(), old.resources(), old.healthCheck(),
                old.env(), old.command(), old.restartPolicy(), old.constraints(), old.strategy());
        ServiceRecord changed = store.services().put(newImage);
        assertEquals(2, changed.revision());
        assertEquals(T0, changed.createdAt());

        ServiceRecord both = store.services().put(Fixtures.minimal("api", 1));
        assertEquals(3, both.revision(), "spec and replicas changed");
        assertEquals(3, store.services().get("api").orElseThrow().revision());
    }

    @Test
    void aDeletedAndRecreatedServiceGoesOnFromItsLastRevision() {
        store.services().put(Fixtures.full("api", 3));
        store.services().put(Fixtures.minimal("api", 3));
        assertTrue(store.services().delete("api"));
        assertEquals(3, store.services().put(Fixtures.full("api", 1)).revision(),
                "revision 1 again would let a node that missed the deletion keep the old containers");
        assertEquals(1, store.services().put(Fixtures.full("other", 1)).revision());
    }

    @Test
    void historyIsBoundedButKeepsCounting() {
        for (int i = 1; i <= SqlServices.KEPT_REVISIONS + 5; i++) {
            ServiceSpec base = Fixtures.full("api", 1);
            store.services().put(new ServiceSpec("api", "myapp:" + i, 1, base.ports(), base.resources(),
                    base.healthCheck(), base.env(), base.command(), base.restartPolicy(), base.constraints(),
                    base.strategy()));
        }
        assertEquals(SqlServices.KEPT_REVISIONS + 5, store.services().get("api").orElseThrow().revision());
        List<Revision> history = store.services().revisions("api");
        assertEquals(SqlServices.KEPT_REVISIONS, history.size());
        assertEquals(SqlServices.KEPT_REVISIONS + 5, history.getFirst().revision(), "newest first");
        assertEquals("myapp:" + (SqlServices.KEPT_REVISIONS + 5), history.getFirst().spec().image());
        assertEquals("myapp:6", history.getLast().spec().image());
        store.services().delete("api");
        assertEquals(SqlServices.KEPT_REVISIONS + 6, store.services().put(Fixtures.full("api", 1)).revision());
    }

    @Test
    void setReplicasKeepsTheRevision() {
        store.services().put(Fixtures.full("api", 3));
        store.services().put(Fixtures.minimal("api", 3));
        clock.advance(Duration.ofMinutes(1));
        assertTrue(store.services().setReplicas("api", 7));
        ServiceRecord r = store.services().get("api").orElseThrow();
        assertEquals(7, r.spec().replicas());
        assertEquals(2, r.revision());
        assertEquals(T0.plusSeconds(60), r.updatedAt());
        assertFalse(store.services().setReplicas("nope", 1));
        var e = assertThrows(OrchestratorException.class, () -> store.services().setReplicas("api",
                ServiceSpec.MAX_REPLICAS + 1));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }

    @Test
    void listsByNameAndDeletes() {
        store.services().put(Fixtures.minimal("worker", 1));
        store.services().put(Fixtures.minimal("api", 1));
        store.services().put(Fixtures.minimal("db", 1));
        assertEquals(List.of("api", "db", "worker"), store.services().all().stream().map(ServiceRecord::name).toList());
        assertTrue(store.services().delete("db"));
        assertFalse(store.services().delete("db"));
        assertEquals(Optional.empty(), store.services().get("db"));
        assertEquals(List.of("api", "worker"), store.services().all().stream().map(ServiceRecord::name).toList());
    }

    @Test
    void deletingAServiceDeletesItsReplicas() {
        store.services().put(Fixtures.minimal("api", 2));
        store.services().put(Fixtures.minimal("worker", 1));
        store.replicas().put(Fixtures.replica("api", 0, ReplicaState.RUNNING));
        store.replicas().put(Fixtures.replica("api", 1, ReplicaState.RUNNING));
        store.replicas().put(Fixtures.replica("worker", 0, ReplicaState.RUNNING));
        assertTrue(store.services().delete("api"));
        assertEquals(List.of(), store.replicas().ofService("api"));
        assertEquals(1, store.replicas().all().size());
    }

    @Test
    void storesTheSpecAsSnakeCaseJsonWithoutReplicas() throws SQLException {
        store.services().put(Fixtures.full("api", 3));
        String json;
        try (Connection c = Fixtures.jdbc(dir);
             var rs = c.createStatement().executeQuery("SELECT spec_json, replicas FROM services")) {
            assertTrue(rs.next());
            json = rs.getString(1);
            assertEquals(3, rs.getInt(2));
        }
        assertFalse(json.contains("\"replicas\""), json);
        for (String part : List.of("\"restart_policy\":\"on-failure\"", "\"interval\":\"10s\"",
                "\"timeout\":\"1500ms\"", "\"start_period\":\"0s\"", "\"health_check\":{",
                "\"container_port\":8080", "\"memory_bytes\":536870912", "\"env\":{\"A\":\"1\",\"B\":\"2\"}")) {
            assertTrue(json.contains(part), part + " in " + json);
        }
    }
}
