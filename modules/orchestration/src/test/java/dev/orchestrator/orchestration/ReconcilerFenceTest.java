package dev.orchestrator.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.ReplicaState;
import dev.orchestrator.testkit.FakeRuntime;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A fenced service's pass: its containers are stopped and removed whatever the assignments say. */
@Timeout(30)
class ReconcilerFenceTest {
    private static final String REASON = "lost the server for 10s (stop_after_disconnect)";
    @TempDir
    Path dir;
    private NodeFixture f;
    private Reconciler reconciler;
    private final Map<String, String> fenced = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() {
        f = new NodeFixture(dir);
        reconciler = f.reconciler();
        reconciler.fence(s -> Optional.ofNullable(fenced.get(s)));
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void aFencedServiceIsStoppedAndStartsAgainWhenTheFenceLifts() {
        f.deploy("db", 2, 8082);
        f.deploy("web", 1, 0);
        f.pass(reconciler, "db");
        f.pass(reconciler, "web");
        assertEquals(2, f.running("db").size());
        int stops = f.runtime.calls(FakeRuntime.Op.STOP);

        fenced.put("db", REASON);
        f.pass(reconciler, "db");
        f.pass(reconciler, "web");

        assertEquals(0, f.runtime.list(Map.of(Labels.SERVICE, "db")).size(), "stopped and removed, though assigned");
        assertEquals(2, f.runtime.calls(FakeRuntime.Op.STOP) - stops, "stopped with the grace, not only killed");
        assertEquals(1, f.running("web").size(), "another service is untouched");
        assertEquals(java.util.List.of(), f.lb.replicas(8082), "out of the load balancer");
        for (ReplicaRecord r : f.rows("db")) {
            assertEquals(ReplicaState.EXITED, r.state());
            assertNull(r.containerId());
            assertEquals("stopped: " + REASON, r.message());
        }
        assertTrue(f.events.stream().anyMatch(e -> e.equals("container db-0: Container db-0 removed (" + REASON + ")")),
                f.events.toString());
        f.pass(reconciler, "db");
        assertEquals(0, f.runtime.list(Map.of(Labels.SERVICE, "db")).size(), "a later pass starts nothing");

        fenced.remove("db");
        f.pass(reconciler, "db");

        assertEquals(2, f.running("db").size(), "still assigned here: started again");
        assertEquals(java.util.List.of("running", "running"),
                f.rows("db").stream().map(r -> r.state().wireName()).toList());
    }

    @Test
    void aFencedServiceDeletedMeanwhileLeavesNoContainerNorRow() {
        f.deploy("db", 1, 0);
        f.pass(reconciler, "db");
        fenced.put("db", REASON);
        f.store.services().delete("db");

        f.pass(reconciler, "db");

        assertEquals(0, f.runtime.list(Map.of(Labels.SERVICE, "db")).size());
        assertEquals(java.util.List.of(), f.rows("db"));
        assertTrue(reconciler.busy().isEmpty(), "converged: no retry loop");
    }
}
