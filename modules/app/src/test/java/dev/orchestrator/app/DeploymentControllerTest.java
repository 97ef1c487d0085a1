package dev.orchestrator.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.UpdateConfig;
import dev.orchestrator.store.Assignment;
import dev.orchestrator.store.Deployment;
import dev.orchestrator.store.Health;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.ReplicaState;
import dev.orchestrator.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollout state machine against a real store, with a manual clock: the test plays the
 * nodes, writing the replica rows they would report.
 */
class DeploymentControllerTest {
    @TempDir
    Path dir;
    private final Manual clock = new Manual(Fixtures.T0);
    private final Fixtures.Hooks hooks = new Fixtures.Hooks();
    private Store store;
    private Application app;
    private DeploymentController controller;

    @BeforeEach
    void open() {
        store = Store.open(dir, clock);
        app = Application.create(store, hooks, clock);
        controller = app.rollouts();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void replacesOneReplicaAtATimeAcrossNodesAndSucceedsAfterTheMonitorPeriod() {
        runningAt(1, 3, update(1, null));
        deploy(2, 3, update(1, null));

        controller.tick();
        assertEquals(Map.of(0, 2L, 1, 1L, 2, 1L), targets(), "one replica of three, on whichever node");
        controller.tick();
        assertEquals(Map.of(0, 2L, 1, 1L, 2, 1L), targets(), "the next waits until it serves");

        serve(0, 2);
        controller.tick();
        assertEquals(Map.of(0, 2L, 1, 2L, 2, 1L), targets());
        serve(1, 2);
        controller.tick();
        serve(2, 2);
        controller.tick();
        assertEquals(Deployment.Status.RUNNING, deployment().status(), "the last one is still watched");

        clock.advance(Duration.ofSeconds(5));
        controller.tick();
        assertEquals(Deployment.Status.SUCCEEDED, deployment().status());
        assertTrue(events().stream().anyMatch(m -> m.startsWith("Rollout of web to revision 2 succeeded: 3/3")),
                events().toString());
    }

    @Test
    void parallelismAndDelaySetTheBatches() {
        runningAt(1, 4, update(2, Duration.ofSeconds(3)));
        deploy(2, 4, update(2, Duration.ofSeconds(3)));

        controller.tick();
        assertEquals(Map.of(0, 2L, 1, 2L, 2, 1L, 3, 1L), targets());
        serve(0, 2);
        serve(1, 2);
        controller.tick();
        assertEquals(Map.of(0, 2L, 1, 2L, 2, 1L, 3, 1L), targets(), "the delay runs");
        clock.advance(Duration.ofSeconds(3));
        controller.tick();
        assertEquals(Map.of(0, 2L, 1, 2L, 2, 2L, 3, 2L), targets());
    }

    @Test
    void aReplicaThatDoesNotServeIsReplacedFirst() {
        runningAt(1, 3, update(1, null));
        row(2, 1, ReplicaState.EXITED, Health.NONE, "");
        deploy(2, 3, update(1, null));

        controller.tick();

        assertEquals(Map.of(0, 1L, 1, 1L, 2, 2L), targets());
    }

    @Test
    void aFailedUpdateRollsBackToThePreviousSpecReplacingOnlyWhatWasUpdated() {
        runningAt(1, 3, update(1, null));
        deploy(2, 3, update(1, null));
        controller.tick();
        row(0, 1, ReplicaState.RUNNING, Health.HEALTHY, ReplicaRecord.updateFailed(2,
                "the new container failed its health check (HTTP 500 from /health)") + "; retry in 2s");

        controller.tick();

        Deployment d = deployment();
        assertEquals(3, d.revision(), "the rollback is a new revision");
        assertTrue(d.rollback());
        assertEquals(2, d.fromRevision());
        assertEquals("img:v1", store.services().get("web").orElseThrow().spec().image());
        assertTrue(events().stream().anyMatch(m -> m.startsWith("rollback: web-0 failed to update: the new container"
                + " failed its health check (HTTP 500 from /health); rolling web back from revision 2 to revision 1")),
                events().toString());

        controller.tick();
        assertEquals(Map.of(0, 1L, 1, 1L, 2, 1L), targets(), "every replica serves the spec rolled back to:"
                + " the one whose update failed keeps its container, the others were never reached");
        controller.tick();
        clock.advance(Duration.ofSeconds(5));
        controller.tick();
        assertEquals(Deployment.Status.SUCCEEDED, deployment().status());
    }

    @Test
    void aReplicaFailingWithinTheMonitorPeriodCounts() {
        runningAt(1, 2, update(1, null));
        deploy(2, 2, update(1, null));
        controller.tick();
        serve(0, 2);
        controller.tick();
        clock.advance(Duration.ofSeconds(2));
        row(0, 2, ReplicaState.RESTARTING, Health.UNHEALTHY, "restarting (backoff 1s)");

        controller.tick();

        assertTrue(deployment().rollback(), "rolled back: " + events());
    }

    @Test
    void pauseStopsReplacingAndARollbackThatFailsPauses() {
        runningAt(1, 3, new UpdateConfig(1, null, null, null, "pause", null));
        deploy(2, 3, new UpdateConfig(1, null, null, null, "pause", null));
        controller.tick();
        row(0, 2, ReplicaState.EXITED, Health.NONE, "Container web-0 exited with code 1");

        controller.tick();
        controller.tick();

        assertEquals(Deployment.Status.PAUSED, deployment().status());
        assertEquals(Map.of(0, 2L, 1, 1L, 2, 1L), targets(), "nothing more is replaced");
    }

    @Test
    void failuresWithinTheRatioAreTolerated() {
        runningAt(1, 4, new UpdateConfig(4, null, null, null, null, 0.25));
        deploy(2, 4, new UpdateConfig(4, null, null, null, null, 0.25));
        controller.tick();
        row(0, 2, ReplicaState.EXITED, Health.NONE, "Container web-0 exited with code 1");
        for (int i = 1; i < 4; i++) {
            serve(i, 2);
        }

        controller.tick();

        assertEquals(Deployment.Status.RUNNING, deployment().status());
        assertTrue(deployment().message().contains("1 failed"), deployment().message());
    }

    @Test
    void aNewControllerResumesARolloutAfterARestart() {
        runningAt(1, 2, update(1, null));
        deploy(2, 2, update(1, null));
        controller.tick();
        serve(0, 2);

        var restarted = new DeploymentController(store, hooks, app.rollback(), clock);
        restarted.tick();

        assertEquals(Map.of(0, 2L, 1, 2L), targets());
    }

    @Test
    void scalingDuringARolloutStartsNewReplicasAtTheNewRevision() {
        runningAt(1, 2, update(1, null));
        deploy(2, 2, update(1, null));
        controller.tick();
        app.scale().run(new Scale.Command("web", 3));
        store.assignments().put(new Assignment("web", 2, "n2", null, clock.instant(), 2));
        serve(0, 2);
        serve(2, 2);

        controller.tick();

        assertEquals(Map.of(0, 2L, 1, 2L, 2, 2L), targets());
    }

    // --- the world -----------------------------------------------------------------------

    private static UpdateConfig update(int parallelism, Duration delay) {
        return new UpdateConfig(parallelism, delay, null, null, null, null);
    }

    private ServiceSpec spec(String version, int replicas, UpdateConfig update) {
        return Fixtures.withImage(Fixtures.spec("web", replicas), "img:" + version).withUpdate(update);
    }

    /** Revision 1 deployed, every replica placed on its own node and serving. */
    private void runningAt(long revision, int replicas, UpdateConfig update) {
        app.deploy().run(new Deploy.Command(spec("v" + revision, replicas, update)));
        for (int i = 0; i < replicas; i++) {
            store.assignments().put(new Assignment("web", i, "n" + i, null, clock.instant(), revision));
            serve(i, revision);
        }
    }

    private void deploy(long revision, int replicas, UpdateConfig update) {
        app.deploy().run(new Deploy.Command(spec("v" + revision, replicas, update)));
        assertEquals(revision, store.services().get("web").orElseThrow().revision());
    }

    private void serve(int index, long revision) {
        row(index, revision, ReplicaState.RUNNING, Health.HEALTHY, "");
    }

    private void row(int index, long revision, ReplicaState state, Health health, String message) {
        String node = store.assignments().get("web", index).map(Assignment::node).orElse("n" + index);
        store.replicas().put(new ReplicaRecord("web", index, node, "c" + index + "r" + revision, "web-" + index,
                revision, state, health, 0, null, 0, message, clock.instant()));
    }

    private Map<Integer, Long> targets() {
        long current = store.services().get("web").orElseThrow().revision();
        return store.assignments().all().stream().collect(Collectors.toMap(Assignment::index,
                a -> a.target(current), (a, b) -> a, TreeMap::new));
    }

    private Deployment deployment() {
        return store.deployments().get("web").orElseThrow();
    }

    private List<String> events() {
        return store.events().query(dev.orchestrator.store.EventQuery.latest()).stream()
                .map(dev.orchestrator.api.Event::message).toList();
    }

    /** A clock the test moves. */
    private static final class Manual extends Clock {
        private volatile Instant now;

        Manual(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
