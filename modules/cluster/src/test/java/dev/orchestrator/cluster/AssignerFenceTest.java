package dev.orchestrator.cluster;

import static dev.orchestrator.cluster.Fixtures.node;
import static dev.orchestrator.cluster.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.NodeStatus;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.cluster.Fixtures.Events;
import dev.orchestrator.store.Assignment;
import dev.orchestrator.store.Health;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.ReplicaState;
import dev.orchestrator.store.Store;
import dev.orchestrator.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's side of fencing: a replica of a {@code stop_after_disconnect} service on a node
 * that is down is placed elsewhere only once the node's silence exceeds the bound, the stop grace
 * and the margin; an availability-first service moves at once. Silences are set by hand.
 */
class AssignerFenceTest {
    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(Fixtures.T0);
    private final Events events = new Events();
    private final Map<String, Duration> silence = new HashMap<>();
    private Store store;
    private Assigner assigner;

    @BeforeEach
    void open() {
        store = Store.open(dir, clock);
        assigner = new Assigner(store, Fixtures.schedulers(), "spread", events, clock, 1.0, NetworkAllotment.DEFAULT,
                n -> silence.getOrDefault(n, Duration.ZERO));
        store.nodes().put(node("n1"));
        store.nodes().put(node("n2"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** One replica of each service on n2, running there; then n2 goes down, silent for 6 s. */
    private void onN2ThenDown(ServiceSpec... specs) {
        store.nodes().put(node("n1").withStatus(NodeStatus.DOWN)); // so everything lands on n2
        for (ServiceSpec s : specs) {
            store.services().put(s);
        }
        assigner.assign();
        store.nodes().put(node("n1"));
        for (ServiceSpec s : specs) {
            assertEquals("n2", nodeOf(s.name()));
            store.replicas().put(new ReplicaRecord(s.name(), 0, "n2", "c-" + s.name(), s.name() + "-0.x", 1,
                    ReplicaState.RUNNING, Health.NONE, 0, null, 0, "", clock.instant()));
        }
        store.nodes().put(node("n2").withStatus(NodeStatus.DOWN));
        silence.put("n2", Duration.ofSeconds(6));
    }

    private String nodeOf(String service) {
        return store.assignments().get(service, 0).map(Assignment::node).orElse(null);
    }

    private static ServiceSpec fenced(String name, Duration bound, Duration grace) {
        ServiceSpec s = spec(name, 1);
        return new ServiceSpec(s.name(), s.image(), 1, s.ports(), s.resources(), null, null, null, null, null, null,
                null, null, null, null, grace, null, null, bound);
    }

    @Test
    void aFencedReplicaWaitsForBoundGraceAndMarginThenMoves() {
        // 10 s bound + 3 s grace + 2 s margin = 15 s after the node's last report.
        onN2ThenDown(fenced("db", Duration.ofSeconds(10), Duration.ofSeconds(3)), spec("web", 1));

        assigner.assign();

        assertEquals("n1", nodeOf("web"), "availability first: moved at once");
        assertEquals("n2", nodeOf("db"), "fenced: still on the down node");
        assertTrue(assigner.waiting());
        ReplicaRecord row = store.replicas().get("db", 0).orElseThrow();
        assertEquals("waiting 9s for n2 to stop it (stop_after_disconnect)", row.message());
        assertEquals(ReplicaState.UNKNOWN, row.state(), "the server does not know whether it still runs");
        assertEquals(1, events.count("Waiting 9s for n2 to stop db-0 before placing it elsewhere"), events.messages().toString());

        silence.put("n2", Duration.ofMillis(14_100));
        assigner.assign();
        assertEquals("n2", nodeOf("db"), "0.9 s short");
        assertEquals("waiting 1s for n2 to stop it (stop_after_disconnect)",
                store.replicas().get("db", 0).orElseThrow().message(), "the row counts down");
        assertEquals(1, events.count("Waiting "), "said once");

        silence.put("n2", Duration.ofSeconds(15));
        assigner.assign();
        assertEquals("n1", nodeOf("db"));
        assertFalse(assigner.waiting());
        assertEquals(1, events.count("Rescheduling db-0: node n2 is down"));
    }

    @Test
    void aNodeBackWithinTheWaitKeepsItsReplica() {
        onN2ThenDown(fenced("db", Duration.ofSeconds(10), Duration.ofSeconds(1)));
        assigner.assign();

        store.nodes().put(node("n2"));
        silence.put("n2", Duration.ZERO);
        assigner.assign();

        assertEquals("n2", nodeOf("db"));
        assertFalse(assigner.waiting());
        assertEquals(0, events.count("Rescheduling"));
    }

    @Test
    void aNodeTheOperatorRemovedIsNotWaitedFor() {
        onN2ThenDown(fenced("db", Duration.ofSeconds(10), Duration.ofSeconds(1)));
        store.nodes().delete("n2");

        assigner.assign();

        assertEquals("n1", nodeOf("db"));
    }

    @Test
    void theWaitIsBoundPlusGracePlusMargin() {
        ServiceSpec s = fenced("db", Duration.ofSeconds(10), Duration.ofSeconds(5));
        assertEquals(Optional.of(Duration.ofSeconds(17)), FenceWait.remaining(s, Duration.ZERO));
        assertEquals(Optional.of(Duration.ofMillis(1)), FenceWait.remaining(s, Duration.ofMillis(16_999)));
        assertEquals(Optional.empty(), FenceWait.remaining(s, Duration.ofSeconds(17)));
        assertEquals(Optional.empty(), FenceWait.remaining(spec("web", 1), Duration.ZERO), "availability first");
        ServiceSpec defaultGrace = fenced("db", Duration.ofSeconds(10), null);
        assertEquals(Optional.of(Duration.ofSeconds(22)), FenceWait.remaining(defaultGrace, Duration.ZERO),
                "the default grace, 10 s, counts");
    }
}
