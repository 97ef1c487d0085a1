package dev.orchestrator.cluster;

import static dev.orchestrator.cluster.Fixtures.GIB;
import static dev.orchestrator.cluster.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.Event;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.Endpoint;
import dev.orchestrator.cluster.Fixtures.Emitted;
import dev.orchestrator.cluster.Fixtures.Events;
import dev.orchestrator.testkit.ManualClock;
import dev.orchestrator.orchestration.Backend;
import dev.orchestrator.store.Assignment;
import dev.orchestrator.store.EventQuery;
import dev.orchestrator.store.NodeRecord;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.SpecJson;
import dev.orchestrator.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Membership over a real SQLite store, a hand-moved clock and recorded events. */
class MembershipTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Protocol.Usage USAGE = new Protocol.Usage(3, 0.25, GIB);

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(Fixtures.T0);
    private final Events events = new Events();
    private final AtomicInteger changes = new AtomicInteger();
    private Store store;

    @BeforeEach
    void open() {
        store = Store.open(dir, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Membership membership() {
        return new Membership(store, events, clock, TIMEOUT, "cid-1", "local", changes::incrementAndGet);
    }

    private static Protocol.Heartbeat hb(String node, List<Protocol.Replica> replicas, List<Protocol.Event> evs,
                                         List<Protocol.Backend> backends) {
        return new Protocol.Heartbeat(node, "id-" + node, "10.0.0.1", "http://10.0.0.1:7947", Map.of("zone", "a"), 4,
                8 * GIB, "27.0", replicas, evs, backends, USAGE);
    }

    private static Protocol.Heartbeat hb(String node) {
        return hb(node, List.of(), List.of(), List.of());
    }

    private static Protocol.Replica replica(String service, int index) {
        return new Protocol.Replica(service, index, "cid-" + service + index, service + "-" + index + ".x", 1,
                "running", "healthy", 2, null, 30000 + index, "", Fixtures.T0.toEpochMilli());
    }

    private static Protocol.Event event(long id) {
        return new Protocol.Event(id, Fixtures.T0.plusSeconds(id).toEpochMilli(), "restart", "web", "web-0",
                "event " + id);
    }

    private static Protocol.Backend backend(String service, int port, String replica, String host) {
        return new Protocol.Backend(service, port, "tcp", replica, host, 30000 + port);
    }

    private List<String> storedEvents() {
        return store.events(EventQuery.latest()).stream().map(Event::message).toList();
    }

    // ---- registration and the reply

    @Test
    void theFirstHeartbeatRegistersTheNodeAndAnswersWithItsDesiredState() {
        var web = store.putService(spec("web", 3));
        var api = store.putService(spec("api", 1));
        store.putAssignment(new Assignment("web", 0, "n1", null, Fixtures.T0));
        store.putAssignment(new Assignment("web", 1, "n2", null, Fixtures.T0));
        store.putAssignment(new Assignment("web", 2, "n2", "n1", Fixtures.T0));
        store.putAssignment(new Assignment("api", 0, "n2", null, Fixtures.T0));
        Membership m = membership();
        clock.advance(Duration.ofSeconds(3));

        Protocol.Reply reply = m.heartbeat(hb("n1"));

        assertEquals(new NodeRecord("n1", "10.0.0.1", Map.of("zone", "a"), 4, 8 * GIB, "ready", "active", "27.0",
                clock.instant()), store.node("n1").orElseThrow());
        assertEquals(List.of(new Emitted("node", null, null, "Node n1 joined (10.0.0.1, 4 CPUs, 8192 MiB)")),
                events.all);
        assertEquals(1, changes.get());
        assertEquals("cid-1", reply.clusterId());
        assertEquals("ready", reply.status());
        assertEquals("active", reply.availability());
        assertEquals(List.of(
                new Protocol.Service("api", SpecJson.encode(api.spec()), 1, 1, api.createdAt().toEpochMilli(),
                        api.updatedAt().toEpochMilli()),
                new Protocol.Service("web", SpecJson.encode(web.spec()), 3, 1, web.createdAt().toEpochMilli(),
                        web.updatedAt().toEpochMilli())), reply.services());
        assertEquals(web.spec(), SpecJson.decode("web", reply.services().get(1).specJson(), 3));
        assertEquals(List.of(new Protocol.Assign("web", 0, "n1", null, Fixtures.T0.toEpochMilli()),
                new Protocol.Assign("web", 2, "n2", "n1", Fixtures.T0.toEpochMilli())), reply.assignments());
        assertEquals(List.of(), reply.backends());
        assertEquals(0, reply.eventsAcked());
        assertEquals(m.serverKey(), reply.serverKey());
        assertTrue(m.serverKey().length() >= 40, m.serverKey());
        assertEquals("http://10.0.0.1:7947", m.agentUrl("n1").orElseThrow());
        assertEquals(USAGE, m.usage("n1").orElseThrow());

        clock.advance(Duration.ofSeconds(1));
        m.heartbeat(hb("n1"));
        assertEquals(1, events.all.size(), "a known node joins once: " + events.messages());
        assertEquals(1, changes.get());
        assertEquals(clock.instant(), store.node("n1").orElseThrow().lastHeartbeat());
    }

    @Test
    void aHeartbeatKeepsTheOperatorsAvailability() {
        Membership m = membership();
        m.heartbeat(hb("n1"));
        store.putNode(store.node("n1").orElseThrow().withAvailability("draining"));

        Protocol.Reply reply = m.heartbeat(hb("n1"));

        assertEquals("draining", reply.availability());
        assertEquals("draining", store.node("n1").orElseThrow().availability());
    }

    static Stream<Arguments> reportedRows() {
        return Stream.of(
                Arguments.of("assigned to the node", "web", 0, true),
                Arguments.of("assigned to another node", "web", 1, false),
                Arguments.of("held while it moves off the node", "web", 2, false),
                Arguments.of("not assigned at all", "web", 3, false),
                Arguments.of("of an unknown service", "ghost", 0, false));
    }

    @ParameterizedTest(name = "a row {0} is stored: {3}")
    @MethodSource("reportedRows")
    void onlyRowsOfReplicasAssignedToTheNodeAreStored(String desc, String service, int index, boolean stored) {
        store.putService(spec("web", 4));
        store.putAssignment(new Assignment("web", 0, "n1", null, Fixtures.T0));
        store.putAssignment(new Assignment("web", 1, "n2", null, Fixtures.T0));
        store.putAssignment(new Assignment("web", 2, "n2", "n1", Fixtures.T0));
        var before = new ReplicaRecord("web", 1, "n2", "other", "web-1.y", 1, "running", "none", 0, null, 0, "",
                Fixtures.T0);
        store.putReplica(before);
        List<ReplicaRecord> rowsBefore = store.replicas();
        Membership m = membership();

        m.heartbeat(hb("n1", List.of(replica(service, index)), List.of(), List.of()));

        if (stored) {
            assertEquals(new ReplicaRecord(service, index, "n1", "cid-" + service + index,
                    service + "-" + index + ".x", 1, "running", "healthy", 2, null, 30000 + index, "", Fixtures.T0),
                    store.replica(service, index).orElseThrow());
        } else {
            assertEquals(rowsBefore, store.replicas());
        }
    }

    // ---- events

    @Test
    void eventsOfAHeartbeatAreStoredOnceAndAcknowledged() {
        Membership m = membership();
        // ids sent, then the events expected in the store afterwards, then the id acknowledged
        record Step(String node, List<Long> sent, List<String> stored, long acked) {
        }
        List<Step> steps = List.of(
                new Step("n1", List.of(), List.of(), 0),
                new Step("n1", List.of(1L, 2L, 3L), List.of("event 1", "event 2", "event 3"), 3),
                new Step("n1", List.of(2L, 3L, 4L), List.of("event 1", "event 2", "event 3", "event 4"), 4),
                new Step("n1", List.of(4L), List.of("event 1", "event 2", "event 3", "event 4"), 4),
                new Step("n1", List.of(), List.of("event 1", "event 2", "event 3", "event 4"), 4),
                // acknowledgements are per node
                new Step("n2", List.of(1L), List.of("event 1", "event 2", "event 3", "event 4", "event 1"), 1),
                new Step("n1", List.of(5L), List.of("event 1", "event 2", "event 3", "event 4", "event 1", "event 5"),
                        5));
        for (Step s : steps) {
            Protocol.Reply reply = m.heartbeat(hb(s.node(), List.of(), s.sent().stream()
                    .map(MembershipTest::event).toList(), List.of()));
            assertEquals(s.stored(), storedEvents(), "after " + s);
            assertEquals(s.acked(), reply.eventsAcked(), "after " + s);
        }
        Event first = store.events(EventQuery.latest()).getFirst();
        assertEquals(new Event(Fixtures.T0.plusSeconds(1), "restart", "web", "web-0", "event 1"), first);
    }

    // ---- failure detection

    static Stream<Arguments> silences() {
        return Stream.of(
                // heard at (s after start, or -1: not since the start), checked at (ms after start), down
                Arguments.of(-1, 10_000, false),
                Arguments.of(-1, 10_001, true),
                Arguments.of(5, 14_000, false),
                Arguments.of(5, 15_000, false),
                Arguments.of(5, 15_001, true),
                Arguments.of(0, 10_001, true),
                Arguments.of(5, 60_000, true));
    }

    @ParameterizedTest(name = "heard at {0}s, checked at {1}ms: down={2}")
    @MethodSource("silences")
    void aNodeIsDownOnlyAfterTheTimeoutFromItsLastHeartbeatOrTheStart(int heardAt, long checkAt, boolean down) {
        // Known from before this server started: its last heartbeat is long past.
        store.putNode(new NodeRecord("n1", "10.0.0.1", Map.of(), 4, 8 * GIB, "ready", "active", "27.0",
                Fixtures.T0));
        clock.advance(Duration.ofHours(1));
        Instant start = clock.instant();
        Membership m = membership();
        if (heardAt >= 0) {
            clock.advance(Duration.ofSeconds(heardAt));
            m.heartbeat(hb("n1"));
            events.clear();
            changes.set(0);
        }
        clock.advance(Duration.between(clock.instant(), start.plusMillis(checkAt)));

        m.check();
        m.check();

        assertEquals(down ? "down" : "ready", store.node("n1").orElseThrow().status());
        if (down) {
            long silentMs = checkAt - Math.max(heardAt, 0) * 1000L;
            String seconds = String.format(java.util.Locale.ROOT, "%.1f", silentMs / 1000.0);
            assertEquals(List.of(new Emitted("node", null, null, "Node n1 is down: no heartbeat for " + seconds + "s")),
                    events.all);
            assertEquals(1, changes.get());
        } else {
            assertEquals(List.of(), events.all);
            assertEquals(0, changes.get());
        }
    }

    @Test
    void theEmbeddedNodeAndDownNodesAreNotCheckedAgain() {
        store.putNode(new NodeRecord("local", "local", Map.of(), 4, 8 * GIB, "ready", "active", "27.0", null));
        store.putNode(new NodeRecord("n9", "10.0.0.9", Map.of(), 4, 8 * GIB, "down", "active", "27.0", null));
        Membership m = membership();

        clock.advance(Duration.ofHours(1));
        m.check();

        assertEquals("ready", store.node("local").orElseThrow().status());
        assertEquals("down", store.node("n9").orElseThrow().status());
        assertEquals(List.of(), events.all);
        assertEquals(0, changes.get());
    }

    @Test
    void aDownNodeLosesItsBackendsAndComesBackWithAHeartbeat() {
        Membership m = membership();
        m.heartbeat(hb("n1", List.of(), List.of(), List.of(backend("web", 80, "web-0", "10.0.0.1"))));
        m.heartbeat(hb("n2"));
        assertEquals(1, m.remoteFor("n2").of("web", 80, "tcp").size());
        events.clear();
        changes.set(0);

        clock.advance(Duration.ofSeconds(11));
        m.heartbeat(hb("n2"));
        m.check();

        assertEquals("down", store.node("n1").orElseThrow().status());
        assertEquals("ready", store.node("n2").orElseThrow().status());
        assertEquals(List.of(), m.remoteFor("n2").of("web", 80, "tcp"));
        assertTrue(m.usage("n1").isEmpty());
        assertEquals(List.of("Node n1 is down: no heartbeat for 11.0s"), events.messages());
        assertEquals(1, changes.get());

        m.heartbeat(hb("n1", List.of(), List.of(), List.of(backend("web", 80, "web-0", "10.0.0.1"))));

        assertEquals("ready", store.node("n1").orElseThrow().status());
        assertEquals(List.of("Node n1 is down: no heartbeat for 11.0s", "Node n1 is back (ready)"), events.messages());
        assertEquals(2, changes.get());
        assertEquals(1, m.remoteFor("n2").of("web", 80, "tcp").size());
    }

    // ---- refusals and malformed heartbeats

    @Test
    void aHeartbeatClaimingTheEmbeddedNodeIsRefusedWithConflict() {
        Membership m = membership();

        var e = assertThrows(OrchestratorException.class, () -> m.heartbeat(hb("local")));

        assertEquals(ErrorCode.CONFLICT, e.code());
        assertTrue(store.node("local").isEmpty());
        assertEquals(List.of(), events.all);
        assertEquals(0, changes.get());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("bad name", new Protocol.Heartbeat("Node_1", null, "10.0.0.1", null, null, 4, GIB, null, null,
                        null, null, null)),
                Arguments.of("no name", new Protocol.Heartbeat(null, null, "10.0.0.1", null, null, 4, GIB, null, null, null,
                        null, null)),
                Arguments.of("no address", new Protocol.Heartbeat("n1", null, null, null, null, 4, GIB, null, null, null,
                        null, null)),
                Arguments.of("blank address", new Protocol.Heartbeat("n1", null, " ", null, null, 4, GIB, null, null, null,
                        null, null)),
                Arguments.of("negative cpus", new Protocol.Heartbeat("n1", null, "10.0.0.1", null, null, -1, GIB, null,
                        null, null, null, null)),
                Arguments.of("negative memory", new Protocol.Heartbeat("n1", null, "10.0.0.1", null, null, 4, -1, null,
                        null, null, null, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aMalformedHeartbeatIsInvalidAndChangesNothing(String desc, Protocol.Heartbeat hb) {
        Membership m = membership();

        var e = assertThrows(OrchestratorException.class, () -> m.heartbeat(hb));

        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals(List.of(), store.nodes());
        assertEquals(List.of(), events.all);
        assertTrue(m.agentUrl("n1").isEmpty());
    }

    @Test
    void refusalsAreSaidAtMostOncePerMinutePerNodeAndAddress() {
        Membership m = membership();
        // seconds to wait, then the node and address claimed, then whether an event is said
        record Step(int waitSeconds, String node, String remote, boolean said) {
        }
        List<Step> steps = List.of(
                new Step(0, "n1", "10.0.0.9", true),
                new Step(0, "n1", "10.0.0.9", false),
                new Step(30, "n1", "10.0.0.9", false),
                new Step(0, "n1", "10.0.0.8", true),
                new Step(0, "n2", "10.0.0.9", true),
                new Step(0, null, "10.0.0.9", true),
                new Step(0, null, "10.0.0.9", false),
                new Step(29, "n1", "10.0.0.9", false),
                new Step(1, "n1", "10.0.0.9", true),
                new Step(59, "n1", "10.0.0.9", false));
        int said = 0;
        for (Step s : steps) {
            clock.advance(Duration.ofSeconds(s.waitSeconds()));
            m.refused(s.node(), s.remote());
            if (s.said()) {
                said++;
                Emitted last = events.all.getLast();
                assertEquals(new Emitted("auth", null, null, "Refused node "
                        + (s.node() == null ? "(unnamed)" : s.node()) + " from " + s.remote()
                        + ": invalid or revoked join token"), last, "after " + s);
            }
            assertEquals(said, events.all.size(), "after " + s);
        }
        assertEquals(List.of(), store.nodes());
    }

    // ---- backends of the other nodes

    @Test
    void remoteBackendsAreThoseOfEveryOtherNode() {
        Membership m = membership();
        var web0 = backend("web", 80, "web-0", "10.0.0.1");
        var api0 = backend("api", 81, "api-0", "10.0.0.1");
        var web1 = backend("web", 80, "web-1", "10.0.0.2");
        var udp1 = new Protocol.Backend("web", 80, "udp", "web-1", "10.0.0.2", 40000);
        var local = new Backend("web", 80, "tcp", new Endpoint("web-2", "10.0.0.3", 30080));
        m.localBackends(() -> List.of(local));
        m.heartbeat(hb("n1", List.of(), List.of(), List.of(web0, api0)));
        Protocol.Reply toN2 = m.heartbeat(hb("n2", List.of(), List.of(), List.of(web1, udp1)));

        record Case(String asking, String service, int port, String protocol, Set<Endpoint> expected) {
        }
        Endpoint e0 = new Endpoint("web-0", "10.0.0.1", 30080);
        Endpoint e1 = new Endpoint("web-1", "10.0.0.2", 30080);
        Endpoint e2 = local.endpoint();
        List<Case> cases = List.of(
                new Case("n1", "web", 80, "tcp", Set.of(e1, e2)),
                new Case("n2", "web", 80, "tcp", Set.of(e0, e2)),
                new Case("local", "web", 80, "tcp", Set.of(e0, e1)),
                new Case("n3", "web", 80, "tcp", Set.of(e0, e1, e2)),
                new Case("n1", "web", 80, "udp", Set.of(new Endpoint("web-1", "10.0.0.2", 40000))),
                new Case("n2", "api", 81, "tcp", Set.of(new Endpoint("api-0", "10.0.0.1", 30081))),
                new Case("n1", "api", 81, "tcp", Set.of()),
                new Case("n2", "web", 81, "tcp", Set.of()));
        for (Case c : cases) {
            List<Endpoint> got = m.remoteFor(c.asking()).of(c.service(), c.port(), c.protocol());
            assertEquals(c.expected(), Set.copyOf(got), c.toString());
            assertEquals(c.expected().size(), got.size(), c.toString());
        }
        assertEquals(Set.of(web0, api0, new Protocol.Backend("web", 80, "tcp", "web-2", "10.0.0.3", 30080)),
                Set.copyOf(toN2.backends()), "the reply carries the other nodes' backends");

        // A heartbeat replaces the node's backends; it does not add to them.
        m.heartbeat(hb("n1", List.of(), List.of(), List.of()));
        assertEquals(Set.of(e2), Set.copyOf(m.remoteFor("n2").of("web", 80, "tcp")));
    }

    @Test
    void withoutAnEmbeddedNodeNoNameIsReservedAndNoLocalBackendsAreAdded() {
        var m = new Membership(store, events, clock, TIMEOUT, "cid-1", null, changes::incrementAndGet);
        m.localBackends(() -> List.of(new Backend("web", 80, "tcp", new Endpoint("x", "h", 1))));

        m.heartbeat(hb("local", List.of(), List.of(), List.of(backend("web", 80, "web-0", "10.0.0.1"))));

        assertEquals("ready", store.node("local").orElseThrow().status());
        assertEquals(List.of(), m.remoteFor("local").of("web", 80, "tcp"));
        assertEquals(List.of(new Endpoint("web-0", "10.0.0.1", 30080)), m.remoteFor("n2").of("web", 80, "tcp"));
        assertFalse(m.agentUrl("n2").isPresent());
    }

    @Test
    void aSecondAgentUnderAnAliveNodesNameIsRefusedUntilTheFirstIsSilent() {
        Membership m = membership();
        m.heartbeat(hb("n1"));
        var impostor = new Protocol.Heartbeat("n1", "another-id", "10.0.0.9", null, Map.of(), 4, 8 * GIB, "27.0",
                List.of(), List.of(), List.of(), USAGE);
        var e = assertThrows(OrchestratorException.class, () -> m.heartbeat(impostor));
        assertEquals(ErrorCode.CONFLICT, e.code());
        assertTrue(e.getMessage().contains("in use by another agent"), e.getMessage());
        m.heartbeat(hb("n1")); // the first one goes on
        clock.advance(TIMEOUT.plusSeconds(1));
        m.heartbeat(impostor); // the first one is silent: a replaced machine takes the name over
        assertEquals("10.0.0.9", store.node("n1").orElseThrow().address());
    }
}
