package dev.orchestrator.cluster;

import static dev.orchestrator.cluster.Fixtures.GIB;
import static dev.orchestrator.cluster.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Availability;
import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.Event;
import dev.orchestrator.api.NodeStatus;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.cluster.Fixtures.Emitted;
import dev.orchestrator.cluster.Fixtures.Events;
import dev.orchestrator.store.Assignment;
import dev.orchestrator.store.EventQuery;
import dev.orchestrator.store.Health;
import dev.orchestrator.store.NodeRecord;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.ReplicaState;
import dev.orchestrator.store.Store;
import dev.orchestrator.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The report side of the node protocol (registration, rows, events, failure detection, one
 * identity per name) over a real SQLite store, a hand-moved clock and recorded events.
 */
class NodeGatewayTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Protocol.Usage USAGE = new Protocol.Usage(3, 0.25, GIB);

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(Fixtures.T0);
    private final Events events = new Events();
    private final AtomicInteger changes = new AtomicInteger();
    private Store store;
    private NodeGateway gateway;

    @BeforeEach
    void open() {
        store = Store.open(dir, clock);
    }

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
        store.close();
    }

    /** The gateway of a server starting now (its start is the failure detector's origin). */
    private NodeGateway gateway() {
        if (gateway != null) {
            gateway.close();
        }
        gateway = new NodeGateway(store, events, clock, TIMEOUT, "cid-1", changes::incrementAndGet);
        return gateway;
    }

    static Protocol.Heartbeat hb(String node, List<Protocol.Replica> replicas, List<Protocol.Event> evs,
                                 List<Protocol.Backend> backends) {
        return new Protocol.Heartbeat(node, "id-" + node, "10.0.0.1", "http://10.0.0.1:7947", Map.of("zone", "a"), 4,
                8 * GIB, "27.0", replicas, evs, backends, USAGE);
    }

    static Protocol.Heartbeat hb(String node) {
        return hb(node, List.of(), List.of(), List.of());
    }

    private static Protocol.Replica replica(String service, int index, String state, String health) {
        return new Protocol.Replica(service, index, "cid-" + service + index, service + "-" + index + ".x", 1,
                state, health, 2, null, 30000 + index, "", Fixtures.T0.toEpochMilli());
    }

    private static Protocol.Event event(long id) {
        return new Protocol.Event(id, Fixtures.T0.plusSeconds(id).toEpochMilli(), "restart", "web", "web-0",
                "event " + id);
    }

    private void assignWeb0ToN1(NodeGateway g) {
        store.services().put(spec("web", 1));
        store.assignments().put(new Assignment("web", 0, "n1", null, Fixtures.T0, 0));
        g.feed().rebuildNow();
    }

    @Test
    void aNodeBackFromAPartitionDoesNotReannounceReplicasMovedAway() {
        NodeGateway g = gateway();
        store.services().put(spec("web", 2));
        store.assignments().put(new Assignment("web", 0, "n2", null, Fixtures.T0, 0)); // moved while n1 was away
        store.assignments().put(new Assignment("web", 1, "n1", null, Fixtures.T0, 0));
        g.feed().rebuildNow();
        g.report(hb("n1", List.of(), List.of(), List.of(backend("web", 80, "web-0", "10.0.0.1"),
                backend("web", 80, "web-1", "10.0.0.1"))));
        g.report(hb("n2"));
        g.feed().rebuildNow();
        assertEquals(List.of(backend("web", 80, "web-1", "10.0.0.1")), watchNow(g, "n2").backends());
    }

    @Test
    void theKeyForTheNodesEndpointGoesOnlyInAnswersToCompleteReports() {
        NodeGateway g = gateway();
        assertEquals(g.serverKey("n1"), g.report(hb("n1")).serverKey(), "a node's first report is complete");
        Protocol.Heartbeat h = hb("n1");
        Protocol.Heartbeat partial = new Protocol.Heartbeat(h.node(), h.nodeId(), h.address(), h.agentUrl(),
                h.labels(), h.cpus(), h.memoryBytes(), h.runtimeVersion(), h.replicas(), h.events(), h.backends(),
                h.usage(), true, false, null);
        assertEquals(null, g.report(partial).serverKey(), "not in every answer each second");
    }

    @Test
    void eachNodeHasAKeyOfItsOwn() {
        NodeGateway g = gateway();
        String n1 = g.report(hb("n1")).serverKey();
        String n2 = g.report(hb("n2")).serverKey();
        assertTrue(n1 != null && n2 != null && !n1.equals(n2), n1 + " " + n2);
        assertEquals(n1, g.serverKey("n1"), "stable");
        assertTrue(!n1.equals(gateway().serverKey("n1")), "another server's key for n1 differs");
    }

    static Protocol.Backend backend(String service, int port, String replica, String host) {
        return new Protocol.Backend(service, port, "tcp", replica, host, 30000 + port);
    }

    private static Protocol.Desired watchNow(NodeGateway g, String node) {
        try {
            return g.watch(node, 0, Duration.ZERO);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private List<String> storedEvents() {
        return store.events().query(EventQuery.latest()).stream().map(Event::message).toList();
    }

    // ---- registration and the reply

    @Test
    void aMalformedEventOrRowIsSkippedAndTheRestOfTheReportCounts() {
        NodeGateway g = gateway();
        var badEvent = new Protocol.Event(2, Fixtures.T0.toEpochMilli(), null, "web", "web-0", null);
        var badRow = new Protocol.Replica("ghost", 0, "c", "ghost-0.x", 0, "running", "none", 0, null, 0, "", 0);
        assignWeb0ToN1(g);
        Protocol.Reply reply = g.report(hb("n1", List.of(badRow), List.of(event(1), badEvent, event(3)),
                List.of(backend("web", 80, "web-0", "10.0.0.1"))));

        assertEquals(3, reply.eventsAcked(), "the bad event is acknowledged too: the node must not resend it forever");
        assertEquals(List.of("event 1", "event 3"),
                storedEvents().stream().filter(m -> m.startsWith("event")).toList());
        assertEquals(NodeStatus.READY, store.nodes().get("n1").orElseThrow().status());
        g.report(hb("n2"));
        g.feed().rebuildNow();
        assertEquals(List.of(backend("web", 80, "web-0", "10.0.0.1")), watchNow(g, "n2").backends());
    }

    @Test
    void measurementsAreKeptInMemoryAndAReportWithoutThemKeepsTheLast() {
        NodeGateway g = gateway();
        Protocol.Heartbeat fine = hb("n1");
        var observed = new Protocol.Observed(List.of(new Protocol.ReplicaUsage("web", 0, "c0", 1.5, 100, 200, 0)),
                List.of(new Protocol.ProbeTally("web", "http", "healthy", 3, 3_000_000)),
                List.of(new Protocol.PortCount("web", "tcp", 8080, 2, 1, 10, 20)));
        g.report(new Protocol.Heartbeat(fine.node(), fine.nodeId(), fine.address(), fine.agentUrl(), fine.labels(),
                fine.cpus(), fine.memoryBytes(), fine.runtimeVersion(), fine.replicas(), fine.events(), fine.backends(),
                fine.usage(), false, false, null, observed));
        g.report(fine); // most reports carry none

        assertEquals(observed, g.observations().all().get("n1").observed());
        assertEquals(1.5, g.observations().usage("web", 0, "c0").orElseThrow().usage().cpuPercent());
    }

    @Test
    void theFirstReportRegistersTheNodeAndSaysItJoined() {
        NodeGateway g = gateway();
        clock.advance(Duration.ofSeconds(3));

        Protocol.Reply reply = g.report(hb("n1"));

        assertEquals(new NodeRecord("n1", "10.0.0.1", Map.of("zone", "a"), 4, 8 * GIB, NodeStatus.READY,
                Availability.ACTIVE, "27.0",
                clock.instant()), store.nodes().get("n1").orElseThrow());
        assertEquals(List.of(new Emitted("node", null, null, "Node n1 joined (10.0.0.1, 4 CPUs, 8192 MiB)")),
                events.all);
        assertEquals(1, changes.get());
        assertEquals(new Protocol.Reply("cid-1", "ready", "active", 0, g.serverKey("n1"), false,
                1000 / NodeGateway.REPORTS_PER_SECOND), reply);
        assertTrue(g.serverKey("n1").length() >= 40, g.serverKey("n1"));
        assertEquals(USAGE, g.registry().usage("n1").orElseThrow());
        assertTrue(g.registry().engineProblem("n1").isEmpty());
        Protocol.Heartbeat fine = hb("n1");
        g.report(new Protocol.Heartbeat(fine.node(), fine.nodeId(), fine.address(), fine.agentUrl(), fine.labels(),
                fine.cpus(), fine.memoryBytes(), fine.runtimeVersion(), fine.replicas(), fine.events(), fine.backends(),
                fine.usage(), false, false, "cannot reach the engine: Broken pipe"));
        assertEquals("cannot reach the engine: Broken pipe", g.registry().engineProblem("n1").orElseThrow(),
                "a node that says its engine is gone is believed");
        g.report(fine);
        assertTrue(g.registry().engineProblem("n1").isEmpty(), "and so is one that says it is back");

        clock.advance(Duration.ofSeconds(1));
        g.report(hb("n1"));
        assertEquals(1, events.all.size(), "a known node joins once: " + events.messages());
        assertEquals(1, changes.get());
        // A report that changes nothing but the time writes no row; the live time is in memory.
        assertEquals(clock.instant().minusSeconds(1), store.nodes().get("n1").orElseThrow().lastHeartbeat());
        assertEquals(clock.instant(), g.registry().lastSeen("n1").orElseThrow());
        clock.advance(NodeRegistry.PERSIST_SEEN);
        g.report(hb("n1"));
        assertEquals(clock.instant(), store.nodes().get("n1").orElseThrow().lastHeartbeat(), "stored again after 10 s");
        g.report(new Protocol.Heartbeat("n1", "id-n1", "10.0.0.1", null, Map.of("zone", "b"), 4, 8 * GIB, "27.0",
                List.of(), List.of(), List.of(), USAGE));
        assertEquals(Map.of("zone", "b"), store.nodes().get("n1").orElseThrow().labels(),
                "a changed node is written at once");
    }

    @Test
    void eachServerProcessHasItsOwnKey() {
        String first = gateway().serverKey("n1");

        assertNotEquals(first, gateway().serverKey("n1"), "a restarted server presents another key");
    }

    @Test
    void theServersOwnNodeReportsLikeAnyOtherUnderAnyName() {
        // No name is reserved for an embedded node any more.
        NodeGateway g = gateway();

        Protocol.Reply reply = g.report(hb("local"));

        assertEquals("ready", reply.status());
        assertEquals(NodeStatus.READY, store.nodes().get("local").orElseThrow().status());
        assertEquals(List.of("Node local joined (10.0.0.1, 4 CPUs, 8192 MiB)"), events.messages());
    }

    @Test
    void aReportKeepsTheOperatorsAvailability() {
        NodeGateway g = gateway();
        g.report(hb("n1"));
        store.nodes().put(store.nodes().get("n1").orElseThrow().withAvailability(Availability.DRAINING));

        Protocol.Reply reply = g.report(hb("n1"));

        assertEquals("draining", reply.availability());
        assertEquals(Availability.DRAINING, store.nodes().get("n1").orElseThrow().availability());
    }

    @Test
    void steadyReportsAnswerTheOperatorsLatestAvailabilityOnceTheyAreTold() {
        NodeGateway g = gateway();
        g.report(hb("n1"));
        g.report(hb("n1"));
        assertEquals("active", g.report(hb("n1")).availability(), "answered from the remembered row");

        store.nodes().put(store.nodes().get("n1").orElseThrow().withAvailability(Availability.CORDONED));
        g.nodeChanged("n1");

        assertEquals("cordoned", g.report(hb("n1")).availability());
    }

    @Test
    void reportsAreSpacedOutAsTheClusterGrowsButWithinTheTimeout() {
        NodeGateway g = gateway();
        long longest = TIMEOUT.toMillis() * 2 / 5;
        assertEquals(1000 / NodeGateway.REPORTS_PER_SECOND, g.report(hb("n000")).reportEvery(),
                "one node: far below any heartbeat, so nodes keep their own");
        Protocol.Reply last = null;
        for (int i = 1; i < 100; i++) {
            last = g.report(hb(String.format("n%03d", i)));
        }
        assertEquals(Math.min(2000, longest), last.reportEvery(), "100 nodes at 50 reports a second");
        for (int i = 100; i < 300; i++) {
            last = g.report(hb(String.format("n%03d", i)));
        }
        assertEquals(longest, last.reportEvery(), "never so long that two lost reports mark a node down");
    }

    static Stream<Arguments> reportedRows() {
        return Stream.of(
                Arguments.of("assigned to the node", "n1", "web", 0, "running", true),
                Arguments.of("assigned to another node", "n1", "web", 1, "running", false),
                Arguments.of("held while it moves off the node", "n1", "web", 2, "running", false),
                Arguments.of("moving onto the node, not serving yet", "n2", "web", 2, "starting", false),
                Arguments.of("moving onto the node and serving", "n2", "web", 2, "running", true),
                Arguments.of("not assigned at all", "n1", "web", 3, "running", false),
                Arguments.of("of an unknown service", "n1", "ghost", 0, "running", false));
    }

    @ParameterizedTest(name = "a row {0} is stored: {5}")
    @MethodSource("reportedRows")
    void onlyRowsOfReplicasAssignedToTheNodeAreStored(String desc, String node, String service, int index,
                                                      String state, boolean stored) {
        store.services().put(spec("web", 4));
        store.assignments().put(new Assignment("web", 0, "n1", null, Fixtures.T0, 0));
        store.assignments().put(new Assignment("web", 1, "n2", null, Fixtures.T0, 0));
        store.assignments().put(new Assignment("web", 2, "n2", "n1", Fixtures.T0, 0));
        store.replicas().put(new ReplicaRecord("web", 1, "n2", "other", "web-1.y", 1, ReplicaState.RUNNING,
                Health.NONE, 0,
                null, 0, "",
                Fixtures.T0));
        store.replicas().put(new ReplicaRecord("web", 2, "n1", "old", "web-2.y", 1, ReplicaState.RUNNING,
                Health.NONE, 0,
                null, 0, "",
                Fixtures.T0));
        List<ReplicaRecord> rowsBefore = store.replicas().all();
        NodeGateway g = gateway();

        g.report(hb(node, List.of(replica(service, index, state, "healthy")), List.of(), List.of()));

        if (stored) {
            assertEquals(new ReplicaRecord(service, index, node, "cid-" + service + index,
                    service + "-" + index + ".x", 1, ReplicaState.parse(state), Health.HEALTHY, 2, null, 30000 + index,
                    "", Fixtures.T0),
                    store.replicas().get(service, index).orElseThrow());
        } else {
            assertEquals(rowsBefore, store.replicas().all());
        }
    }

    @Test
    void aPartialReportAsksForAFullOneWhenTheServerDoesNotKnowOrTheAssignmentsChanged() {
        store.services().put(spec("web", 2));
        store.assignments().put(new Assignment("web", 0, "n1", null, Fixtures.T0, 0));
        NodeGateway g = gateway();
        g.feed().rebuildNow();
        var row0 = replica("web", 0, "running", "healthy");

        Protocol.Reply first = g.report(partial(hb("n1", List.of(row0), List.of(), List.of())));
        assertTrue(first.fullReport(), "a server that never saw the node's rows asks for them all");
        assertTrue(store.replicas().get("web", 0).isPresent(), "the rows it was given are stored all the same");

        Protocol.Reply full = g.report(hb("n1", List.of(row0), List.of(), List.of()));
        assertFalse(full.fullReport(), "a full report needs no other");
        Protocol.Reply quiet = g.report(partial(hb("n1", List.of(), List.of(), List.of())));
        assertFalse(quiet.fullReport(), "nothing changed: nothing asked");
        assertEquals("running", store.replicas().get("web", 0).orElseThrow().state().wireName(),
                "rows a partial report leaves out stay as they are");

        store.assignments().put(new Assignment("web", 1, "n1", null, Fixtures.T0, 0));
        g.feed().rebuildNow();
        assertTrue(g.report(partial(hb("n1", List.of(), List.of(), List.of()))).fullReport(),
                "the node's assignments changed: a row it did not resend may now count");
    }

    private static Protocol.Heartbeat partial(Protocol.Heartbeat hb) {
        return new Protocol.Heartbeat(hb.node(), hb.nodeId(), hb.address(), hb.agentUrl(), hb.labels(), hb.cpus(),
                hb.memoryBytes(), hb.runtimeVersion(), hb.replicas(), hb.events(), hb.backends(), hb.usage(), true);
    }

    // ---- events

    @Test
    void eventsOfAReportAreStoredOnceAndAcknowledged() {
        NodeGateway g = gateway();
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
            Protocol.Reply reply = g.report(hb(s.node(), List.of(), s.sent().stream()
                    .map(NodeGatewayTest::event).toList(), List.of()));
            assertEquals(s.stored(), storedEvents(), "after " + s);
            assertEquals(s.acked(), reply.eventsAcked(), "after " + s);
        }
        Event first = store.events().query(EventQuery.latest()).getFirst();
        assertEquals(new Event(Fixtures.T0.plusSeconds(1), "restart", "web", "web-0", "event 1", "n1"), first,
                "a reported event names the node that reported it");
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
    void aNodeIsDownOnlyAfterTheTimeoutFromItsLastReportOrTheStart(int heardAt, long checkAt, boolean down) {
        // Known from before this server started: its last report is long past.
        store.nodes().put(new NodeRecord("n1", "10.0.0.1", Map.of(), 4, 8 * GIB, NodeStatus.READY, Availability.ACTIVE,
                "27.0",
                Fixtures.T0));
        clock.advance(Duration.ofHours(1));
        Instant start = clock.instant();
        NodeGateway g = gateway();
        if (heardAt >= 0) {
            clock.advance(Duration.ofSeconds(heardAt));
            g.report(hb("n1"));
            events.clear();
            changes.set(0);
        }
        clock.advance(Duration.between(clock.instant(), start.plusMillis(checkAt)));

        g.check();
        g.check();

        assertEquals(down ? NodeStatus.DOWN : NodeStatus.READY, store.nodes().get("n1").orElseThrow().status());
        if (down) {
            long silentMs = checkAt - Math.max(heardAt, 0) * 1000L;
            String seconds = String.format(Locale.ROOT, "%.1f", silentMs / 1000.0);
            assertEquals(List.of(new Emitted("node", null, null, "Node n1 is down: no heartbeat for " + seconds + "s")),
                    events.all);
            assertEquals(1, changes.get());
        } else {
            assertEquals(List.of(), events.all);
            assertEquals(0, changes.get());
        }
    }

    @Test
    void downNodesAreNotCheckedAgain() {
        store.nodes().put(new NodeRecord("n9", "10.0.0.9", Map.of(), 4, 8 * GIB, NodeStatus.DOWN, Availability.ACTIVE,
                "27.0", null));
        NodeGateway g = gateway();

        clock.advance(Duration.ofHours(1));
        g.check();

        assertEquals(NodeStatus.DOWN, store.nodes().get("n9").orElseThrow().status());
        assertEquals(List.of(), events.all);
        assertEquals(0, changes.get());
    }

    @Test
    void aDownNodeLosesItsBackendsAndComesBackWithAReport() throws InterruptedException {
        NodeGateway g = gateway();
        Protocol.Backend web0 = backend("web", 80, "web-0", "10.0.0.1");
        assignWeb0ToN1(g);
        g.report(hb("n1", List.of(), List.of(), List.of(web0)));
        g.report(hb("n2"));
        g.feed().rebuildNow();
        assertEquals(List.of(web0), g.watch("n2", 0, Duration.ZERO).backends());
        events.clear();
        changes.set(0);

        clock.advance(Duration.ofSeconds(11));
        g.report(hb("n2"));
        g.check();
        g.feed().rebuildNow();

        assertEquals(NodeStatus.DOWN, store.nodes().get("n1").orElseThrow().status());
        assertEquals(NodeStatus.READY, store.nodes().get("n2").orElseThrow().status());
        assertEquals(List.of(), g.watch("n2", 0, Duration.ZERO).backends());
        assertTrue(g.registry().usage("n1").isEmpty());
        assertEquals(List.of("Node n1 is down: no heartbeat for 11.0s"), events.messages());
        assertEquals(1, changes.get());

        g.report(hb("n1", List.of(), List.of(), List.of(web0)));
        g.feed().rebuildNow();

        assertEquals(NodeStatus.READY, store.nodes().get("n1").orElseThrow().status());
        assertEquals(List.of("Node n1 is down: no heartbeat for 11.0s", "Node n1 is back (ready)"), events.messages());
        assertEquals(2, changes.get());
        assertEquals(List.of(web0), g.watch("n2", 0, Duration.ZERO).backends());
        assertEquals(USAGE, g.registry().usage("n1").orElseThrow());
    }

    @Test
    void aNodeThatCameBackAndFellSilentAgainIsMarkedDownAgainFromMemory() {
        NodeGateway g = gateway();
        clock.advance(Duration.ofHours(1)); // past the start-up grace: checks run from memory
        g.report(hb("n1"));
        g.report(hb("n2"));
        g.check();
        clock.advance(Duration.ofSeconds(11));
        g.report(hb("n2"));
        g.check();
        g.report(hb("n1")); // back
        g.check();
        assertEquals(NodeStatus.READY, store.nodes().get("n1").orElseThrow().status());

        clock.advance(Duration.ofSeconds(11));
        g.report(hb("n2"));
        g.check();

        assertEquals(NodeStatus.DOWN, store.nodes().get("n1").orElseThrow().status());
        assertEquals(List.of("Node n1 is down: no heartbeat for 11.0s", "Node n1 is back (ready)",
                "Node n1 is down: no heartbeat for 11.0s"), events.messages().stream()
                .filter(m -> m.startsWith("Node n1 is")).toList());
    }

    // ---- malformed reports and identity conflicts

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("bad name", new Protocol.Heartbeat("Node_1", null, "10.0.0.1", null, null, 4, GIB, null,
                        null, null, null, USAGE)),
                Arguments.of("no name", new Protocol.Heartbeat(null, null, "10.0.0.1", null, null, 4, GIB, null, null,
                        null, null, USAGE)),
                Arguments.of("no address", new Protocol.Heartbeat("n1", null, null, null, null, 4, GIB, null, null,
                        null, null, USAGE)),
                Arguments.of("blank address", new Protocol.Heartbeat("n1", null, " ", null, null, 4, GIB, null, null,
                        null, null, USAGE)),
                Arguments.of("negative cpus", new Protocol.Heartbeat("n1", null, "10.0.0.1", null, null, -1, GIB, null,
                        null, null, null, USAGE)),
                Arguments.of("negative memory", new Protocol.Heartbeat("n1", null, "10.0.0.1", null, null, 4, -1, null,
                        null, null, null, USAGE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aMalformedReportIsInvalidAndChangesNothing(String desc, Protocol.Heartbeat hb) {
        NodeGateway g = gateway();

        var e = assertThrows(OrchestratorException.class, () -> g.report(hb));

        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals(List.of(), store.nodes().all());
        assertEquals(List.of(), events.all);
        assertEquals(0, changes.get());
        assertTrue(g.registry().usage("n1").isEmpty());
        var notFound = assertThrows(OrchestratorException.class, () -> g.watch("n1", 0, Duration.ZERO));
        assertEquals(ErrorCode.NOT_FOUND, notFound.code());
    }

    @Test
    void anotherIdentityUnderALiveNodesNameIsRefusedUntilTheFirstIsSilent() {
        NodeGateway g = gateway();
        g.report(hb("n1"));
        var impostor = new Protocol.Heartbeat("n1", "another-id", "10.0.0.9", null, Map.of(), 4, 8 * GIB, "27.0",
                List.of(), List.of(), List.of(), new Protocol.Usage(9, 9, 9));

        var e = assertThrows(OrchestratorException.class, () -> g.report(impostor));

        assertEquals(ErrorCode.CONFLICT, e.code());
        assertTrue(e.getMessage().contains("in use by another node"), e.getMessage());
        assertEquals("10.0.0.1", store.nodes().get("n1").orElseThrow().address(), "a refused report changes nothing");
        assertEquals(USAGE, g.registry().usage("n1").orElseThrow());

        clock.advance(TIMEOUT);
        g.report(hb("n1")); // the first one goes on
        clock.advance(TIMEOUT);
        assertEquals(ErrorCode.CONFLICT, assertThrows(OrchestratorException.class, () -> g.report(impostor)).code(),
                "exactly the timeout after the first one's last report, it still holds the name");

        clock.advance(Duration.ofMillis(1));
        g.report(impostor); // the first one is silent: a replaced machine takes the name over
        assertEquals("10.0.0.9", store.nodes().get("n1").orElseThrow().address());
        assertEquals(ErrorCode.CONFLICT, assertThrows(OrchestratorException.class, () -> g.report(hb("n1"))).code(),
                "now the first one is the other identity");
    }
}
