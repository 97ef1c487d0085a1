package dev.orchestrator.app;

import static dev.orchestrator.app.Fixtures.CLOCK;
import static dev.orchestrator.app.Fixtures.assertRefused;
import static dev.orchestrator.app.Fixtures.node;
import static dev.orchestrator.app.Fixtures.spec;
import static dev.orchestrator.app.Fixtures.withImage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Availability;
import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.Event;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.cluster.LogEntry;
import dev.orchestrator.cluster.LogFanIn;
import dev.orchestrator.cluster.LogQuery;
import dev.orchestrator.store.Assignment;
import dev.orchestrator.store.EventQuery;
import dev.orchestrator.store.Health;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.ReplicaState;
import dev.orchestrator.store.Store;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Scale, remove, node availability, join tokens and the read side, over a real store. */
class UseCasesTest {
    @TempDir
    Path dir;
    private Store store;
    private final Fixtures.Hooks hooks = new Fixtures.Hooks();
    private Application app;

    @BeforeEach
    void open() {
        store = Store.open(dir);
        app = Application.create(store, hooks, CLOCK);
        app.deploy().run(new Deploy.Command(spec("web", 3)));
        store.nodes().put(node("n1"));
        hooks.calls.clear();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static ReplicaRecord replica(int index, String container) {
        return new ReplicaRecord("web", index, "n1", container, "web-" + index + ".x", 1, ReplicaState.RUNNING,
                Health.NONE, 0, null,
                0, null, Fixtures.T0);
    }

    private String lastEvent() {
        return store.events().query(EventQuery.latest()).getLast().message();
    }

    @Test
    void scaleChangesTheCountNotTheRevision() {
        ServiceState s = app.scale().run(new Scale.Command("web", 5));
        assertEquals(5, s.service().spec().replicas());
        assertEquals(1, s.service().revision());
        assertEquals(5, store.services().get("web").orElseThrow().spec().replicas());
        assertEquals("Service web scaled from 3 to 5 replicas", lastEvent());
        assertEquals(List.of("desired web"), hooks.calls);
    }

    @Test
    void scaleRefusals() {
        assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks, () -> app.scale().run(new Scale.Command("web", null)),
                "replicas is required");
        assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks, () -> app.scale().run(new Scale.Command("web", 1001)),
                "replicas must be in 0..1000");
        assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks, () -> app.scale().run(new Scale.Command("web", -1)),
                "replicas must be in 0..1000");
        assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks, () -> app.scale().run(new Scale.Command("Web", 2)),
                "service name must be a DNS label");
        assertRefused(ErrorCode.NOT_FOUND, store, hooks, () -> app.scale().run(new Scale.Command("db", 2)),
                "no service named 'db'");
    }

    @Test
    void removeDeletesAndNotifies() {
        assertEquals(new Remove.Result("web"), app.remove().run(new Remove.Command("web")));
        assertTrue(store.services().get("web").isEmpty());
        assertEquals("Service web removed", lastEvent());
        assertEquals(List.of("desired web"), hooks.calls);
    }

    @Test
    void removeRefusals() {
        assertRefused(ErrorCode.NOT_FOUND, store, hooks, () -> app.remove().run(new Remove.Command("db")),
                "no service named 'db'");
        assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks, () -> app.remove().run(new Remove.Command(null)),
                "service name is required");
    }

    @Test
    void availabilityIsStoredWithItsEventThenThePlacementIsRedone() {
        NodeState cordoned = app.availability().run(new NodeAvailability.Command("n1", Availability.CORDONED));
        assertEquals(Availability.CORDONED, cordoned.node().availability());
        assertEquals("Node n1 cordoned", lastEvent());
        app.availability().run(new NodeAvailability.Command("n1", Availability.DRAINING));
        assertEquals(Availability.DRAINING, store.nodes().get("n1").orElseThrow().availability());
        assertEquals("Node n1 draining: its replicas move to other nodes", lastEvent());
        app.availability().run(new NodeAvailability.Command("n1", Availability.ACTIVE));
        assertEquals(Availability.ACTIVE, store.nodes().get("n1").orElseThrow().availability());
        assertEquals("Node n1 is active again", lastEvent());
        assertEquals("node", store.events().query(EventQuery.latest()).getLast().type());
        assertEquals(List.of("availability n1", "availability n1", "availability n1"), hooks.calls);
    }

    @Test
    void availabilityRefusals() {
        assertRefused(ErrorCode.NOT_FOUND, store, hooks,
                () -> app.availability().run(new NodeAvailability.Command("n2", Availability.CORDONED)),
                "no node named 'n2'");
        assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks,
                () -> app.availability().run(new NodeAvailability.Command("N_1", Availability.DRAINING)),
                "node name must be a DNS label");
    }

    @Test
    void tokensAreCreatedListedAndRevokedByIdWithoutTheirSecret() {
        JoinTokenUseCases.Created t = app.tokens().create(new JoinTokenUseCases.Create());
        assertTrue(t.token().contains(t.id()), t::id);
        assertFalse(t.toString().contains(t.token()));
        assertEquals(List.of(t.id()), app.tokens().list().stream().map(x -> x.id()).toList());
        assertEquals("Join token " + t.id() + " created", lastEvent());
        assertEquals(new JoinTokenUseCases.Revoked(t.id()), app.tokens().revoke(new JoinTokenUseCases.Revoke(t.id())));
        assertEquals(List.of(), app.tokens().list());
        assertEquals("Join token " + t.id() + " revoked", lastEvent());
        assertTrue(store.events().query(EventQuery.latest()).stream().noneMatch(e -> e.message().contains(t.token())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "xyz", "ABCDEF12", "12345"})
    void revokeRefusesAMalformedId(String id) {
        app.tokens().create(new JoinTokenUseCases.Create());
        assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks,
                () -> app.tokens().revoke(new JoinTokenUseCases.Revoke(id)), "token id must be hex digits");
    }

    @Test
    void revokeRefusesAnUnknownId() {
        app.tokens().create(new JoinTokenUseCases.Create());
        assertRefused(ErrorCode.NOT_FOUND, store, hooks,
                () -> app.tokens().revoke(new JoinTokenUseCases.Revoke("abcdef12")),
                "no join token with id 'abcdef12'");
    }

    @Test
    void nodesCountWhatIsAssignedToThem() {
        store.assignments().put(new Assignment("web", 0, "n1", null, Fixtures.T0, 0));
        store.replicas().put(replica(0, "c0"));
        hooks.usage.put("n1", new ClusterHooks.NodeUsage(1, 0.5, 1L << 30));
        NodeState n = app.queries().node("n1");
        assertEquals(512, n.allocatedCpuShares());
        assertEquals(64 * Fixtures.MIB, n.allocatedMemoryBytes());
        assertEquals(1, n.containers());
        assertFalse(n.local());
        assertEquals(new ClusterHooks.NodeUsage(1, 0.5, 1L << 30), n.usage().orElseThrow());
        assertEquals(List.of(n), app.queries().nodes());
    }

    @Test
    void eventsAndLogs() {
        assertEquals(List.of("Service web deployed (3 x img:1, revision 1)"),
                app.queries().events(new Queries.Events("web", "2026-01-01T00:00:00Z", 10)).stream()
                        .map(Event::message).toList());
        assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks,
                () -> app.queries().events(new Queries.Events(null, "yesterday", 10)), "since must be an ISO-8601");
        var read = new LogFanIn.Read(List.of(new LogEntry("2026-01-01T00:00:01Z", "web-1", "n1", "stdout", "a")),
                List.of());
        hooks.logs = read;
        LogQuery q = app.queries().logQuery(new Queries.Logs("web", "web-1", "2026-01-01T00:00:00Z",
                "2026-01-01T00:00:10Z", 10));
        assertEquals(new LogQuery("web", "web-1", Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:00:10Z"), 10), q);
        assertEquals(read, app.queries().logs(q));
    }

    @Test
    void badLogRequestsAreRefusedBeforeAnyNodeIsAsked() {
        assertRefused(ErrorCode.NOT_FOUND, store, hooks,
                () -> app.queries().logQuery(new Queries.Logs("nope", null, null, null, 10)), "nope");
        assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks,
                () -> app.queries().logQuery(new Queries.Logs("web", "api-1", null, null, 10)), "replica must name");
        assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks,
                () -> app.queries().logQuery(new Queries.Logs("web", "web-01", null, null, 10)), "replica must name");
        assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks,
                () -> app.queries().logQuery(new Queries.Logs("web", null, "1m", "2m", 10)), "until must be after");
        assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks,
                () -> app.queries().logQuery(new Queries.Logs("web", null, null, "soon", 10)), "until must be");
        assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks,
                () -> app.queries().logQuery(new Queries.Logs("web", null, null, null, -1)), "tail must be");
        assertTrue(hooks.logQueries.isEmpty());
    }

    @Test
    void rollbackDeploysAnEarlierSpecAsANewRevision() {
        var e = assertThrows(OrchestratorException.class, () -> app.rollback().run(new Rollback.Command("web", null)));
        assertTrue(e.getMessage().contains("no earlier revision"), e.getMessage());
        app.deploy().run(new Deploy.Command(withImage(spec("web", 3), "web:2")));
        app.scale().run(new Scale.Command("web", 4));

        Deploy.Result back = app.rollback().run(new Rollback.Command("web", null));

        assertEquals(3, back.state().service().revision(), "a new number, not 1 again");
        assertEquals(spec("web", 3).image(), back.state().service().spec().image(), "the first spec's image");
        assertEquals(4, back.state().service().spec().replicas(), "the current replica count stays");
        assertEquals(List.of(3L, 2L, 1L), app.queries().revisions("web").stream().map(r -> r.revision()).toList());
        assertEquals(ErrorCode.NOT_FOUND,
                assertThrows(OrchestratorException.class, () -> app.rollback().run(new Rollback.Command("web", 9L)))
                        .code());
        assertThrows(OrchestratorException.class, () -> app.rollback().run(new Rollback.Command("web", 3L)),
                "already there");
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(OrchestratorException.class,
                () -> app.rollback().run(new Rollback.Command("nope", null))).code());
    }
}
