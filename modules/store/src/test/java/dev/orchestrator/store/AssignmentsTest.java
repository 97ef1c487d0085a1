package dev.orchestrator.store;

import static dev.orchestrator.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Availability;
import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.NodeStatus;
import dev.orchestrator.api.OrchestratorException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssignmentsTest {
    @TempDir
    Path dir;
    Store store;

    @BeforeEach
    void open() {
        store = Store.open(dir);
        store.services().put(Fixtures.minimal("web", 3));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void assignmentsAreKeptPerReplicaAndListedPerNode() {
        store.assignments().put(new Assignment("web", 0, "node-1", null, T0, 0));
        store.assignments().put(new Assignment("web", 1, "node-2", "node-1", T0, 0));
        store.assignments().put(new Assignment("web", 2, "node-2", null, T0, 0));
        assertEquals(3, store.assignments().all().size());
        assertEquals(List.of(0, 1), store.assignments().onNode("node-1").stream().map(Assignment::index).toList());
        assertEquals(List.of(1, 2), store.assignments().onNode("node-2").stream().map(Assignment::index).toList());
        store.assignments().put(store.assignments().get("web", 1).orElseThrow().settled());
        assertEquals(List.of(0), store.assignments().onNode("node-1").stream().map(Assignment::index).toList());
        assertTrue(store.assignments().delete("web", 2));
        assertFalse(store.assignments().delete("web", 2));
        assertEquals(Optional.empty(), store.assignments().get("web", 2));
    }

    @Test
    void deletingTheServiceDeletesItsAssignments() {
        store.assignments().put(new Assignment("web", 0, "node-1", null, T0, 0));
        store.services().delete("web");
        assertEquals(List.of(), store.assignments().all());
    }

    @Test
    void anAssignmentNeedsItsService() {
        var e = assertThrows(OrchestratorException.class,
                () -> store.assignments().put(new Assignment("nope", 0, "node-1", null, T0, 0)));
        assertEquals(ErrorCode.NOT_FOUND, e.code());
    }

    @Test
    void mirrorKeepsTheGivenRevision() {
        var record = new ServiceRecord(Fixtures.minimal("api", 2), 7, T0, T0.plusSeconds(5));
        store.services().mirror(record);
        assertEquals(record, store.services().get("api").orElseThrow());
        var next = new ServiceRecord(Fixtures.full("api", 4), 8, T0, T0.plusSeconds(9));
        store.services().mirror(next);
        assertEquals(next, store.services().get("api").orElseThrow());
    }

    @Test
    void joinTokensStoreOnlyADigest() {
        var t = new JoinToken("a1b2c3", "ab".repeat(32), T0);
        store.tokens().put(t);
        assertEquals(Optional.of(t), store.tokens().get("a1b2c3"));
        assertEquals(ErrorCode.CONFLICT, assertThrows(OrchestratorException.class, () -> store.tokens().put(t)).code());
        assertEquals(List.of(t), store.tokens().all());
        assertTrue(store.tokens().delete("a1b2c3"));
        assertEquals(List.of(), store.tokens().all());
        assertThrows(OrchestratorException.class, () -> new JoinToken("XYZ", "ab".repeat(32), T0));
        assertThrows(OrchestratorException.class, () -> new JoinToken("a1b2c3", "ab", T0));
    }

    @Test
    void nodesHaveAnAvailability() {
        var n = new NodeRecord("node-1", "10.0.0.1", null, 2, 1L << 30, NodeStatus.READY, Availability.ACTIVE, null,
                T0);
        assertTrue(n.schedulable());
        assertFalse(n.withAvailability(Availability.CORDONED).schedulable());
        assertFalse(n.withStatus(NodeStatus.DOWN).schedulable());
        store.nodes().put(n.withAvailability(Availability.DRAINING));
        assertEquals(Availability.DRAINING, store.nodes().get("node-1").orElseThrow().availability());
    }

    @Test
    void aPerNodeLimitIsPartOfTheSpecButItsAbsenceChangesNothing() {
        var base = Fixtures.minimal("api", 2);
        long r1 = store.services().put(base).revision();
        var same = new dev.orchestrator.api.ServiceSpec(base.name(), base.image(), 2, base.ports(), base.resources(),
                base.healthCheck(), base.env(), base.command(), base.restartPolicy(), base.constraints(),
                base.strategy(), null);
        assertEquals(r1, store.services().put(same).revision(), "no limit encodes as before: no new revision");
        var limited = new dev.orchestrator.api.ServiceSpec(base.name(), base.image(), 2, base.ports(),
                base.resources(), base.healthCheck(), base.env(), base.command(), base.restartPolicy(),
                base.constraints(), base.strategy(), 1);
        assertEquals(r1 + 1, store.services().put(limited).revision());
        assertEquals(1, store.services().get("api").orElseThrow().spec().maxPerNode());
    }
}
