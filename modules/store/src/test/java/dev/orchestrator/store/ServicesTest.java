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
        ServiceRecord r = store.putService(Fixtures.full("api", 3));
        assertEquals(1, r.revision());
        assertEquals(T0, r.createdAt());
        assertEquals(T0, r.updatedAt());
        assertEquals(r, store.service("api").orElseThrow());
    }

    @Test
    void theSpecRoundTripsExactly() {
        ServiceSpec spec = Fixtures.full("api", 3);
        store.putService(spec);
        assertEquals(spec, store.service("api").orElseThrow().spec());
        ServiceSpec minimal = Fixtures.minimal("worker", 0);
        store.putService(minimal);
        assertEquals(minimal, store.service("worker").orElseThrow().spec());
    }

    @Test
    void revisionGrowsOnSpecChangesOnly() {
        store.putService(Fixtures.full("api", 3));
        clock.advance(Duration.ofSeconds(1));

        ServiceRecord same = store.putService(Fixtures.full("api", 3));
        assertEquals(1, same.revision(), "nothing changed");
        assertEquals(T0, same.updatedAt(), "nothing changed, nothing written");

        ServiceRecord scaled = store.putService(Fixtures.full("api", 5));
        assertEquals(1, scaled.revision(), "only replicas changed");
        assertEquals(T0.plusSeconds(1), scaled.updatedAt());
        assertEquals(5, store.service("api").orElseThrow().spec().replicas());

        ServiceSpec old = Fixtures.full("api", 5);
        ServiceSpec newImage = new ServiceSpec("api", "myapp:2", 5, old.ports(), old.resources(), old.healthCheck(),
                old.env(), old.command(), old.restartPolicy(), old.constraints(), old.strategy());
        ServiceRecord changed = store.putService(newImage);
        assertEquals(2, changed.revision());
        assertEquals(T0, changed.createdAt());

        ServiceRecord both = store.putService(Fixtures.minimal("api", 1));
        assertEquals(3, both.revision(), "spec and replicas changed");
        assertEquals(3, store.service("api").orElseThrow().revision());
    }

    @Test
    void setReplicasKeepsTheRevision() {
        store.putService(Fixtures.full("api", 3));
        store.putService(Fixtures.minimal("api", 3));
        clock.advance(Duration.ofMinutes(1));
        assertTrue(store.setReplicas("api", 7));
        ServiceRecord r = store.service("api").orElseThrow();
        assertEquals(7, r.spec().replicas());
        assertEquals(2, r.revision());
        assertEquals(T0.plusSeconds(60), r.updatedAt());
        assertFalse(store.setReplicas("nope", 1));
        var e = assertThrows(OrchestratorException.class, () -> store.setReplicas("api", ServiceSpec.MAX_REPLICAS + 1));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }

    @Test
    void listsByNameAndDeletes() {
        store.putService(Fixtures.minimal("worker", 1));
        store.putService(Fixtures.minimal("api", 1));
        store.putService(Fixtures.minimal("db", 1));
        assertEquals(List.of("api", "db", "worker"), store.services().stream().map(ServiceRecord::name).toList());
        assertTrue(store.deleteService("db"));
        assertFalse(store.deleteService("db"));
        assertEquals(Optional.empty(), store.service("db"));
        assertEquals(List.of("api", "worker"), store.services().stream().map(ServiceRecord::name).toList());
    }

    @Test
    void deletingAServiceDeletesItsReplicas() {
        store.putService(Fixtures.minimal("api", 2));
        store.putService(Fixtures.minimal("worker", 1));
        store.putReplica(Fixtures.replica("api", 0, ReplicaState.RUNNING));
        store.putReplica(Fixtures.replica("api", 1, ReplicaState.RUNNING));
        store.putReplica(Fixtures.replica("worker", 0, ReplicaState.RUNNING));
        assertTrue(store.deleteService("api"));
        assertEquals(List.of(), store.replicas("api"));
        assertEquals(1, store.replicas().size());
    }

    @Test
    void storesTheSpecAsSnakeCaseJsonWithoutReplicas() throws SQLException {
        store.putService(Fixtures.full("api", 3));
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
