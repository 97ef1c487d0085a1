package dev.orchestrator.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.cluster.Protocol;
import dev.orchestrator.store.Assignment;
import dev.orchestrator.store.ServiceRecord;
import dev.orchestrator.store.SpecJson;
import dev.orchestrator.store.Store;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The node's mirror of its view of the desired state, over a real SQLite store. */
class MirrorTest {
    private static final Instant CREATED = Instant.parse("2025-06-01T10:00:00.123Z");
    private static final Instant UPDATED = Instant.parse("2025-06-02T11:30:00.456Z");
    private static final long AT = Instant.parse("2025-06-03T00:00:00Z").toEpochMilli();

    @TempDir
    Path dir;
    private Store store;

    @BeforeEach
    void open() {
        // The store's own clock is far from the server's times: nothing may be restamped.
        store = Store.open(dir, TestClock.create());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static ServiceSpec spec(String name, String image, int replicas) {
        return new ServiceSpec(name, image, replicas, null, null, null, null, List.of("serve"), null,
                List.of("node.labels.disk==ssd"), "binpack");
    }

    private static Protocol.Service service(ServiceSpec spec, long revision, Instant updated) {
        return new Protocol.Service(spec.name(), SpecJson.encode(spec), spec.replicas(), revision,
                CREATED.toEpochMilli(), updated.toEpochMilli(), java.util.List.of());
    }

    private static Protocol.Assign assign(String service, int index, String node, String previous) {
        return new Protocol.Assign(service, index, node, previous, AT, 0);
    }

    private static Protocol.Desired desired(String clusterId, List<Protocol.Service> services,
                                            List<Protocol.Assign> assigns) {
        return new Protocol.Desired(1, clusterId, services, assigns, List.of());
    }

    /** web (revision 7, 3 replicas) and api (revision 4, 1 replica); n1 runs web-0 and api-0 and holds web-2. */
    private static Protocol.Desired baseline() {
        return desired("cid-1",
                List.of(service(spec("api", "api:4", 1), 4, UPDATED), service(spec("web", "web:7", 3), 7, UPDATED)),
                List.of(assign("api", 0, "n1", null), assign("web", 0, "n1", null), assign("web", 2, "n2", "n1")));
    }

    /** A later view: the next index, the services and assignments edited. */
    private static Protocol.Desired with(Protocol.Desired d, UnaryOperator<List<Protocol.Service>> services,
                                         UnaryOperator<List<Protocol.Assign>> assigns) {
        return new Protocol.Desired(d.index() + 1, d.clusterId(),
                services.apply(new ArrayList<>(d.services())), assigns.apply(new ArrayList<>(d.assignments())),
                d.backends());
    }

    @Test
    void applyMirrorsServicesWithTheirExactRevisionAndTimes() {
        var mirror = new Mirror(store);
        assertEquals(Optional.empty(), mirror.clusterId());

        Set<String> changed = mirror.apply(baseline());

        assertEquals(Set.of("web", "api"), changed);
        assertEquals(List.of(new ServiceRecord(spec("api", "api:4", 1), 4, CREATED, UPDATED),
                new ServiceRecord(spec("web", "web:7", 3), 7, CREATED, UPDATED)), store.services().all());
        assertEquals(List.of(new Assignment("api", 0, "n1", null, Instant.ofEpochMilli(AT), 0),
                new Assignment("web", 0, "n1", null, Instant.ofEpochMilli(AT), 0),
                new Assignment("web", 2, "n2", "n1", Instant.ofEpochMilli(AT), 0)), store.assignments().all());
        assertEquals(Optional.of("cid-1"), mirror.clusterId());
        assertEquals(Optional.of("cid-1"), store.settings().get(Mirror.CLUSTER_ID));
    }

    @Test
    void anIdenticalViewChangesNothing() {
        var mirror = new Mirror(store);
        mirror.apply(baseline());
        List<ServiceRecord> services = store.services().all();
        List<Assignment> assignments = store.assignments().all();

        assertEquals(Set.of(), mirror.apply(baseline()));
        assertEquals(Set.of(), mirror.apply(baseline()));

        assertEquals(services, store.services().all());
        assertEquals(assignments, store.assignments().all());
    }

    @Test
    void aRestartedNodeSeesNoChangeInTheViewItAlreadyMirrored() {
        new Mirror(store).apply(baseline());

        assertEquals(Set.of(), new Mirror(store).apply(baseline()));
    }

    static Stream<Arguments> changes() {
        ServiceSpec web8 = spec("web", "web:8", 3);
        return Stream.of(
                Arguments.of("a new revision of web", with(baseline(),
                        s -> { s.set(1, service(web8, 8, UPDATED.plusSeconds(1))); return s; }, a -> a),
                        Set.of("web")),
                Arguments.of("api scaled", with(baseline(),
                        s -> { s.set(0, service(spec("api", "api:4", 2), 4, UPDATED.plusSeconds(1))); return s; },
                        a -> a), Set.of("api")),
                Arguments.of("a new service", with(baseline(),
                        s -> { s.add(service(spec("db", "db:1", 1), 1, UPDATED)); return s; }, a -> a),
                        Set.of("db")),
                Arguments.of("web deleted with its assignments", with(baseline(),
                        s -> { s.remove(1); return s; }, a -> { a.removeIf(x -> x.service().equals("web")); return a; }),
                        Set.of("web")),
                Arguments.of("web-0 moved away from this node", with(baseline(), s -> s,
                        a -> { a.remove(1); return a; }), Set.of("web")),
                Arguments.of("web-2 settled: no longer held", with(baseline(), s -> s,
                        a -> { a.remove(2); return a; }), Set.of("web")),
                Arguments.of("web-1 assigned to this node", with(baseline(), s -> s,
                        a -> { a.add(2, assign("web", 1, "n1", null)); return a; }), Set.of("web")),
                Arguments.of("another cluster id only", new Protocol.Desired(2, "cid-2",
                        baseline().services(), baseline().assignments(), List.of()), Set.of()),
                Arguments.of("only a new index and other nodes' backends", new Protocol.Desired(9, "cid-1",
                        baseline().services(), baseline().assignments(),
                        List.of(new Protocol.Backend("web", 80, "tcp", "web-1", "10.0.0.2", 30080))), Set.of()));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("changes")
    void applyReportsTheServicesThatChangedAndMirrorsThem(String desc, Protocol.Desired next, Set<String> expected) {
        var mirror = new Mirror(store);
        mirror.apply(baseline());

        Set<String> changed = mirror.apply(next);

        assertEquals(expected, changed);
        assertEquals(next.services().stream().map(Protocol.Service::name).sorted().toList(),
                store.services().all().stream().map(ServiceRecord::name).toList());
        for (Protocol.Service s : next.services()) {
            ServiceRecord r = store.services().get(s.name()).orElseThrow();
            assertEquals(s.revision(), r.revision());
            assertEquals(s.replicas(), r.spec().replicas());
            assertEquals(SpecJson.decode(s.name(), s.specJson(), s.replicas()), r.spec());
            assertEquals(s.updatedAt(), r.updatedAt().toEpochMilli());
        }
        assertEquals(next.assignments().stream().map(a -> new Assignment(a.service(), a.index(), a.node(),
                a.previousNode(), Instant.ofEpochMilli(a.assignedAt()), 0)).toList(), store.assignments().all());
        assertEquals(Optional.of(next.clusterId()), mirror.clusterId());
        assertEquals(Set.of(), mirror.apply(next), "the same view again changes nothing");
        assertEquals(Set.of(), new Mirror(store).apply(next), "nor does it for a restarted node");
    }

    /** Only the services whose assignments changed are reported, not every service of the lists. */
    @Test
    void aChangedAssignmentReportsOnlyItsService() {
        var mirror = new Mirror(store);
        mirror.apply(baseline());

        Set<String> changed = mirror.apply(with(baseline(), s -> s, a -> { a.remove(1); return a; }));

        assertEquals(Set.of("web"), changed);
    }
}
