package dev.orchestrator.cluster;

import static dev.orchestrator.cluster.Fixtures.published;
import static dev.orchestrator.cluster.Fixtures.spec;
import static dev.orchestrator.cluster.NodeGatewayTest.backend;
import static dev.orchestrator.cluster.NodeGatewayTest.hb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Resources;
import dev.orchestrator.cluster.Fixtures.Events;
import dev.orchestrator.store.Assignment;
import dev.orchestrator.store.ServiceRecord;
import dev.orchestrator.store.SpecJson;
import dev.orchestrator.store.Store;
import dev.orchestrator.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The watch side of the node protocol: each node's view of the desired state, its index, and
 * the blocking query, through {@link NodeGateway#watch} over a real SQLite store.
 *
 * <p>The cluster: web (3 replicas, no published port) runs web-0 on n1 and web-1 on n2, web-2
 * moves from n1 to n2; api (not published) runs api-0 on n2; lb publishes port 80 and runs
 * lb-0 on n3 and lb-1 on n1, both reported healthy as backends; db (not published) runs
 * nowhere; n4 runs nothing.
 */
class DesiredStateFeedTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** What a watch that should return promptly is given, and far more than it should take. */
    private static final Duration LONG = Duration.ofSeconds(30);
    /** How long a prompt answer may take on a slow machine. */
    private static final long PROMPT_MS = 3_000;
    private static final Protocol.Backend LB0 = backend("lb", 80, "lb-0", "10.0.0.3");
    private static final Protocol.Backend LB1 = backend("lb", 80, "lb-1", "10.0.0.1");

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(Fixtures.T0);
    private final Events events = new Events();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private Store store;
    private NodeGateway gateway;

    /** A view and how long the watch took. */
    record Timed(Protocol.Desired desired, long millis) {
    }

    @BeforeEach
    void open() {
        store = Store.open(dir, clock);
        store.services().put(spec("web", 3));
        store.services().put(spec("api", 1));
        store.services().put(published("lb", 2, 80, 8080));
        store.services().put(spec("db", 1));
        store.assignments().put(new Assignment("web", 0, "n1", null, Fixtures.T0, 0));
        store.assignments().put(new Assignment("web", 1, "n2", null, Fixtures.T0, 0));
        store.assignments().put(new Assignment("web", 2, "n2", "n1", Fixtures.T0, 0));
        store.assignments().put(new Assignment("api", 0, "n2", null, Fixtures.T0, 0));
        store.assignments().put(new Assignment("lb", 0, "n3", null, Fixtures.T0, 0));
        store.assignments().put(new Assignment("lb", 1, "n1", null, Fixtures.T0, 0));
        gateway = newGateway();
        reportAll();
        gateway.feed().rebuildNow();
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        gateway.close();
        store.close();
    }

    private NodeGateway newGateway() {
        return new NodeGateway(store, events, clock, TIMEOUT, "cid-1", () -> { });
    }

    private void reportAll() {
        gateway.report(hb("n1", List.of(), List.of(), List.of(LB1)));
        gateway.report(hb("n2"));
        gateway.report(hb("n3", List.of(), List.of(), List.of(LB0)));
        gateway.report(hb("n4"));
    }

    /** The node's view as of now (a watch with index 0 returns at once). */
    private Protocol.Desired view(String node) throws InterruptedException {
        return gateway.watch(node, 0, Duration.ZERO);
    }

    private Future<Timed> watchAsync(String node, long index, Duration wait) {
        NodeGateway g = gateway;
        return threads.submit(() -> {
            long start = System.nanoTime();
            Protocol.Desired d = g.watch(node, index, wait);
            return new Timed(d, (System.nanoTime() - start) / 1_000_000);
        });
    }

    private static void assertBlocked(Future<Timed> watch) {
        assertThrows(TimeoutException.class, () -> watch.get(150, TimeUnit.MILLISECONDS),
                "the watch holds while nothing changed");
    }

    private static Timed promptly(Future<Timed> watch) throws Exception {
        long start = System.nanoTime();
        Timed t = watch.get(PROMPT_MS, TimeUnit.MILLISECONDS);
        assertTrue((System.nanoTime() - start) / 1_000_000 < PROMPT_MS);
        return t;
    }

    private Protocol.Service wire(String name) {
        ServiceRecord r = store.services().get(name).orElseThrow();
        return new Protocol.Service(name, SpecJson.encode(r.spec()), r.spec().replicas(), r.revision(),
                r.createdAt().toEpochMilli(), r.updatedAt().toEpochMilli(), java.util.List.of());
    }

    private Protocol.Service routing(String name) {
        ServiceRecord r = store.services().get(name).orElseThrow();
        return new Protocol.Service(name, SpecJson.encodeForRouting(r.spec()), r.spec().replicas(), r.revision(),
                r.createdAt().toEpochMilli(), r.updatedAt().toEpochMilli(), java.util.List.of());
    }

    @Test
    void aNodeThatOnlyRoutesToAServiceGetsItWithoutItsEnvironment() throws InterruptedException {
        var p = published("lb", 2, 80, 8080);
        store.services().put(new dev.orchestrator.api.ServiceSpec("lb", "img:1", 2, p.ports(), p.resources(), null,
                java.util.Map.of("DB_PASSWORD", "s3cret-value"), null, null, List.of(), null));
        gateway.feed().rebuildNow();

        String runs = new String(Protocol.write(view("n1")), java.nio.charset.StandardCharsets.UTF_8);
        String routes = new String(Protocol.write(view("n4")), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(runs.contains("s3cret-value"), "n1 runs lb-1");
        assertTrue(routes.contains("\\\"container_port\\\":80"), routes);
        assertFalse(routes.contains("s3cret-value") || routes.contains("DB_PASSWORD"), routes);
        Protocol.Service lb = view("n4").services().getFirst();
        assertEquals(java.util.Map.of(), SpecJson.decode("lb", lb.specJson(), 2).env());
    }

    private static Protocol.Assign assign(String service, int index, String node, String previous) {
        return new Protocol.Assign(service, index, node, previous, Fixtures.T0.toEpochMilli(), 0);
    }

    private static Set<String> names(Protocol.Desired d) {
        return Set.copyOf(d.services().stream().map(Protocol.Service::name).toList());
    }

    // ---- the view

    @Test
    void aWatchWithIndexZeroReturnsAtOnceWithTheWholeView() throws Exception {
        Timed t = promptly(watchAsync("n1", 0, LONG));

        Protocol.Desired d = t.desired();
        assertTrue(d.index() > 0, "index " + d.index());
        assertEquals("cid-1", d.clusterId());
        assertEquals(Set.of(wire("web"), wire("lb")), Set.copyOf(d.services()));
        assertEquals(2, d.services().size());
        assertEquals(spec("web", 3), SpecJson.decode("web", wire("web").specJson(), 3));
        assertEquals(Set.of(assign("web", 0, "n1", null), assign("web", 2, "n2", "n1"), assign("lb", 1, "n1", null)),
                Set.copyOf(d.assignments()));
        assertEquals(3, d.assignments().size());
        assertEquals(List.of(LB0), d.backends());
    }

    static Stream<Arguments> views() {
        return Stream.of(
                // node, services, assignments (service-index), backends
                Arguments.of("n1", Set.of("web", "lb"), Set.of("web-0", "web-2", "lb-1"), Set.of(LB0)),
                Arguments.of("n2", Set.of("web", "api", "lb"), Set.of("web-1", "web-2", "api-0"), Set.of(LB0, LB1)),
                Arguments.of("n3", Set.of("lb"), Set.of("lb-0"), Set.of(LB1)),
                Arguments.of("n4", Set.of("lb"), Set.of(), Set.of(LB0, LB1)));
    }

    @ParameterizedTest(name = "{0}: {1}, {2}")
    @MethodSource("views")
    void aNodesViewHasWhatItRunsOrHoldsThePublishedServicesAndTheOtherNodesBackends(
            String node, Set<String> services, Set<String> assignments, Set<Protocol.Backend> backends)
            throws InterruptedException {
        Protocol.Desired d = view(node);

        assertEquals(services, names(d));
        assertEquals(services.size(), d.services().size(), "each service once: " + d.services());
        for (Protocol.Service s : d.services()) {
            boolean runsOrHolds = d.assignments().stream().anyMatch(a -> a.service().equals(s.name()));
            assertEquals(runsOrHolds ? wire(s.name()) : routing(s.name()), s);
        }
        var got = new HashSet<String>();
        d.assignments().forEach(a -> got.add(a.service() + "-" + a.index()));
        assertEquals(assignments, got);
        assertEquals(assignments.size(), d.assignments().size(), "each assignment once: " + d.assignments());
        for (Protocol.Assign a : d.assignments()) {
            assertTrue(a.node().equals(node) || node.equals(a.previousNode()), a.toString());
        }
        assertEquals(backends, Set.copyOf(d.backends()));
        assertEquals(backends.size(), d.backends().size());
        assertEquals("cid-1", d.clusterId());
    }

    @Test
    void aReportReplacesTheNodesBackendsAndANodeNeverSeesItsOwn() throws InterruptedException {
        Protocol.Backend other = new Protocol.Backend("lb", 80, "tcp", "lb-1", "10.0.0.1", 40000);
        gateway.report(hb("n1", List.of(), List.of(), List.of(other)));
        gateway.feed().rebuildNow();

        assertEquals(Set.of(LB0, other), Set.copyOf(view("n2").backends()));
        assertEquals(List.of(LB0), view("n1").backends());

        gateway.report(hb("n1"));
        gateway.feed().rebuildNow();

        assertEquals(List.of(LB0), view("n2").backends());
        assertEquals(List.of(LB0), view("n1").backends());
    }

    // ---- blocking queries

    /** A change of the cluster, as the server makes it (with its notification). */
    interface Change {
        void apply(DesiredStateFeedTest t) throws Exception;
    }

    static Stream<Arguments> changesOfN1sView() {
        return Stream.of(
                Arguments.of("a replica assigned to it", (Change) t -> {
                    t.store.assignments().put(new Assignment("web", 1, "n1", null, Fixtures.T0, 0));
                    t.gateway.desiredStateChanged();
                }, (Predicate<Protocol.Desired>) d -> d.assignments().contains(assign("web", 1, "n1", null))),
                Arguments.of("its replica moves off it", (Change) t -> {
                    t.store.assignments().put(new Assignment("web", 0, "n2", "n1", Fixtures.T0, 0));
                    t.gateway.desiredStateChanged();
                }, (Predicate<Protocol.Desired>) d -> d.assignments().contains(assign("web", 0, "n2", "n1"))),
                Arguments.of("a new revision of a service it runs", (Change) t -> {
                    t.store.services().put(Fixtures.spec("web", 3, new Resources(2048, Fixtures.GIB),
                            List.of(), null));
                    t.gateway.desiredStateChanged();
                }, (Predicate<Protocol.Desired>) d -> d.services().stream()
                        .anyMatch(s -> s.name().equals("web") && s.revision() == 2)),
                Arguments.of("a new published service", (Change) t -> {
                    t.store.services().put(published("gw", 1, 81, 8081));
                    t.gateway.desiredStateChanged();
                }, (Predicate<Protocol.Desired>) d -> names(d).contains("gw")),
                Arguments.of("another node's backends", (Change) t -> {
                    t.gateway.report(hb("n3", List.of(), List.of(), List.of()));
                }, (Predicate<Protocol.Desired>) d -> d.backends().isEmpty()),
                Arguments.of("a node with backends goes down", (Change) t -> {
                    t.clock.advance(TIMEOUT.plusSeconds(1));
                    t.gateway.report(hb("n1", List.of(), List.of(), List.of(LB1)));
                    t.gateway.report(hb("n2"));
                    t.gateway.report(hb("n4"));
                    t.gateway.check();
                }, (Predicate<Protocol.Desired>) d -> d.backends().isEmpty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changesOfN1sView")
    void aWatchAtTheCurrentIndexBlocksUntilAChangeOfTheNodesViewThenReturnsPromptly(
            String desc, Change change, Predicate<Protocol.Desired> shows) throws Exception {
        Protocol.Desired before = view("n1");
        Future<Timed> watch = watchAsync("n1", before.index(), LONG);
        assertBlocked(watch);

        change.apply(this);
        Protocol.Desired after = promptly(watch).desired();

        assertTrue(after.index() > before.index(), before.index() + " then " + after.index());
        assertTrue(shows.test(after), after.toString());
        assertFalse(shows.test(before), "the change is new: " + before);
        gateway.feed().rebuildNow();
        assertEquals(after, view("n1"), "the view answered is the current one");
    }

    static Stream<Arguments> changesOfOtherViews() {
        return Stream.of(
                // a change, then a node whose view it changes (or null)
                Arguments.of("an assignment of a service it neither runs nor routes", (Change) t -> {
                    t.store.assignments().put(new Assignment("api", 1, "n2", null, Fixtures.T0, 0));
                    t.gateway.desiredStateChanged();
                }, "n2"),
                Arguments.of("its own backends", (Change) t -> {
                    t.gateway.report(hb("n1", List.of(), List.of(), List.of(backend("lb", 80, "lb-1", "10.0.0.7"))));
                }, "n2"),
                Arguments.of("a service nobody runs nor routes", (Change) t -> {
                    t.store.services().put(spec("batch", 1));
                    t.gateway.desiredStateChanged();
                }, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changesOfOtherViews")
    void aChangeOutsideTheNodesViewDoesNotAnswerItsWatchWithANewIndex(String desc, Change change, String affected)
            throws Exception {
        Duration wait = Duration.ofMillis(600);
        Protocol.Desired before = view("n1");
        Protocol.Desired otherBefore = affected == null ? null : view(affected);
        Future<Timed> watch = watchAsync("n1", before.index(), wait);
        Future<Timed> other = affected == null ? null : watchAsync(affected, otherBefore.index(), LONG);
        assertBlocked(watch);

        change.apply(this);
        gateway.feed().rebuildNow();
        if (other != null) {
            Protocol.Desired changed = promptly(other).desired();
            assertTrue(changed.index() > otherBefore.index(), "the change reached " + affected);
        }
        Timed t = watch.get(wait.toMillis() + PROMPT_MS, TimeUnit.MILLISECONDS);

        assertEquals(unchanged(before), t.desired(), "same index and nothing else: no change");
        assertTrue(t.millis() >= wait.toMillis(), "returned after " + t.millis() + " ms, before the wait");
    }

    @Test
    void indicesOnlyGrowAndChangeOnlyWithTheView() throws InterruptedException {
        var indices = new ArrayList<Long>();
        indices.add(view("n1").index());
        Protocol.Desired first = view("n1");

        gateway.feed().rebuildNow();
        assertEquals(first, view("n1"), "a rebuild without a change keeps the index");

        store.assignments().put(new Assignment("web", 1, "n1", null, Fixtures.T0, 0));
        gateway.feed().rebuildNow();
        indices.add(view("n1").index());

        store.assignments().delete("web", 1);
        gateway.feed().rebuildNow();
        Protocol.Desired back = view("n1");
        indices.add(back.index());
        assertEquals(first.services(), back.services());
        assertEquals(first.assignments(), back.assignments());

        store.services().put(spec("batch", 1)); // outside n1's view
        gateway.feed().rebuildNow();
        assertEquals(back, view("n1"));

        assertTrue(indices.get(0) < indices.get(1) && indices.get(1) < indices.get(2),
                "content back as it was still gets a newer index: " + indices);
        assertEquals(unchanged(back), gateway.watch("n1", back.index(), Duration.ZERO), "a zero wait answers at once");
        assertEquals(unchanged(back), gateway.watch("n1", back.index(), Duration.ofSeconds(-1)),
                "so does a negative one");
    }

    @Test
    void aNodeGetsTheCredentialsOfTheRegistriesOfWhatItRunsOnly() throws InterruptedException {
        store.services().put(new dev.orchestrator.api.ServiceSpec("api", "registry.example.com/team/api:1", 1,
                List.of(), null, null, java.util.Map.of(), List.of(), null, List.of(), null));
        store.registries().put(new dev.orchestrator.store.RegistryCredential("registry.example.com", "ci", "pw-1",
                Fixtures.T0));
        store.registries().put(new dev.orchestrator.store.RegistryCredential("other.example.com", "ci", "pw-2",
                Fixtures.T0));
        gateway.feed().rebuildNow();

        assertEquals(List.of(new Protocol.Credential("registry.example.com", "ci", "pw-1")),
                view("n2").credentials(), "n2 runs api-0");
        assertEquals(List.of(), view("n1").credentials(), "n1 runs no image of those registries");
        assertEquals(List.of(), view("n3").credentials());
        assertFalse(view("n2").credentials().toString().contains("pw-1"), "never printed");

        long before = view("n2").index();
        store.registries().put(new dev.orchestrator.store.RegistryCredential("registry.example.com", "ci", "pw-3",
                Fixtures.T0));
        gateway.feed().rebuildNow();
        assertNotEquals(before, view("n2").index(), "a new password is a new view");
        assertEquals("pw-3", view("n2").credentials().getFirst().password());
    }

    @Test
    void aWatchForANodeThatNeverReportedIsNotFound() {
        var e = assertThrows(OrchestratorException.class, () -> gateway.watch("n9", 0, LONG));
        assertEquals(ErrorCode.NOT_FOUND, e.code());

        var bad = assertThrows(OrchestratorException.class, () -> gateway.watch("Not_A_Name", 0, LONG));
        assertEquals(ErrorCode.INVALID_ARGUMENT, bad.code());
    }

    @Test
    void aNodeHoldingAHigherIndexIsAnsweredAtOnce() throws Exception {
        Protocol.Desired now = view("n1");

        Protocol.Desired answered = promptly(watchAsync("n1", now.index() + 1_000_000, LONG)).desired();

        assertEquals(now, answered);
    }

    @Test
    void aRestartedServerAnswersTheIndexOfItsEarlierRunAtOnceWithAHigherOne() throws Exception {
        long held = view("n1").index();
        gateway.close();
        clock.advance(Duration.ofSeconds(1));
        gateway = newGateway();
        reportAll();

        Protocol.Desired answered = promptly(watchAsync("n1", held, LONG)).desired();

        assertTrue(answered.index() > held, held + " then " + answered.index());
        assertEquals(Set.of("web", "lb"), names(answered));
    }

    @Test
    void closingTheGatewayAnswersTheWatchesAtOnce() throws Exception {
        Protocol.Desired before = view("n1");
        Future<Timed> watch = watchAsync("n1", before.index(), LONG);
        assertBlocked(watch);

        gateway.close();

        assertEquals(unchanged(before), promptly(watch).desired());
    }

    @Test
    void manyNodesWatchAtOnceAndOnlyTheAffectedOnesAreAnswered() throws Exception {
        List<String> nodes = List.of("n1", "n2", "n3", "n4");
        var before = new ArrayList<Protocol.Desired>();
        var watches = new ArrayList<Future<Timed>>();
        for (String n : nodes) {
            Protocol.Desired d = view(n);
            before.add(d);
            watches.add(watchAsync(n, d.index(), Duration.ofMillis(800)));
        }
        assertBlocked(watches.getFirst());

        // api-0 moves from n2 to n4: n2 holds it meanwhile, n4 runs it; n1 and n3 do not see api.
        store.assignments().put(new Assignment("api", 0, "n4", "n2", Fixtures.T0, 0));
        gateway.desiredStateChanged();

        for (int i = 0; i < nodes.size(); i++) {
            Timed t = watches.get(i).get(800 + PROMPT_MS, TimeUnit.MILLISECONDS);
            boolean affected = nodes.get(i).equals("n2") || nodes.get(i).equals("n4");
            if (affected) {
                assertNotEquals(before.get(i).index(), t.desired().index(), nodes.get(i));
                assertTrue(t.desired().assignments().contains(assign("api", 0, "n4", "n2")), nodes.get(i));
                assertTrue(t.millis() < 800, nodes.get(i) + " woken by the change, not by its deadline");
            } else {
                assertEquals(unchanged(before.get(i)), t.desired(), nodes.get(i));
                assertTrue(t.millis() >= 800, nodes.get(i) + " returned after " + t.millis() + " ms");
            }
        }
    }

    /** What a watch answers when its wait ends without a change: the index, nothing else. */
    private static Protocol.Desired unchanged(Protocol.Desired view) {
        return new Protocol.Desired(view.index(), view.clusterId(), List.of(), List.of(), List.of());
    }
}
