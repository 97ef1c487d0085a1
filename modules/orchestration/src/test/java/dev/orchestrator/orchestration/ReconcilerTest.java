package dev.orchestrator.orchestration;

import static dev.orchestrator.orchestration.NodeFixture.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.spi.ContainerDetails;
import dev.orchestrator.api.spi.RuntimeEvent;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.ReplicaState;
import dev.orchestrator.testkit.FakeRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real reconciler of one node over a fake runtime, a real store and a recording load balancer. */
@Timeout(30)
class ReconcilerTest {
    @TempDir
    Path dir;
    private NodeFixture f;
    private Reconciler reconciler;

    @BeforeEach
    void setUp() {
        f = new NodeFixture(dir);
        reconciler = f.reconciler();
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private List<String> states(String service) {
        return f.rows(service).stream().map(r -> r.state().wireName()).toList();
    }

    @Test
    void startsEveryReplicaRecordsItAndRoutesToIt() {
        f.deploy("web", 3, 8081);

        f.pass(reconciler, "web");

        List<ContainerDetails> running = f.running("web");
        assertEquals(3, running.size());
        assertEquals(List.of("running", "running", "running"), states("web"));
        for (ReplicaRecord r : f.rows("web")) {
            assertEquals(running.get(r.index()).id(), r.containerId());
            assertEquals(NodeFixture.NODE, r.node());
            assertTrue(r.hostPort() > 0, "host port recorded: " + r);
        }
        assertEquals(List.of("web-0", "web-1", "web-2"), f.lb.replicas(8081));
    }

    @Test
    void aPassThatOnlyStartsRecordsWhatItStartedWithoutListingAgain() {
        f.deploy("web", 3, 8081);
        int lists = f.runtime.calls(FakeRuntime.Op.LIST);

        reconciler.reconcileNow("web");

        assertEquals(1, f.runtime.calls(FakeRuntime.Op.LIST) - lists, "one observation, before acting");
        assertEquals(List.of("running", "running", "running"), states("web"));
        assertEquals(List.of("web-0", "web-1", "web-2"), f.lb.replicas(8081));
    }

    @Test
    void aServiceNeverRunHereIsNotListedOnceTheNodesContainersWereListed() {
        f.deploy("old", 1, 0);
        f.pass(reconciler, "old");
        Reconciler restarted = f.reconciler(); // a restarted node: adopts what runs
        restarted.start();
        f.awaitIdle(restarted);
        f.deploy("web", 2, 0);
        int lists = f.runtime.calls(FakeRuntime.Op.LIST);

        restarted.reconcileNow("web");

        assertEquals(0, f.runtime.calls(FakeRuntime.Op.LIST) - lists, "nothing of web can be on the engine yet");
        assertEquals(List.of("running", "running"), states("web"));
        restarted.reconcileNow("web");
        assertEquals(1, f.runtime.calls(FakeRuntime.Op.LIST) - lists, "once created, web is listed again");
        assertEquals(2, f.running("web").size(), "and kept, not started twice");
        restarted.reconcileNow("old");
        assertEquals(1, f.running("old").size(), "the adopted service is still listed and kept");
        restarted.close();
    }

    @Test
    void aContainerRemovedBehindTheNodesBackIsSeenAndReplaced() {
        reconciler.start();
        f.awaitIdle(reconciler);
        f.deploy("web", 1, 0);
        f.pass(reconciler, "web");
        String first = f.runningIds("web").get(0);
        f.runtime.remove(first, true);

        f.pass(reconciler, "web");
        assertEquals(1, f.running("web").size());
        assertNotEquals(first, f.runningIds("web").get(0));
        f.pass(reconciler, "web");
        assertEquals(1, f.running("web").size(), "the index never hides a container: no second copy");
    }

    @Test
    void aSingleReplicaUpdateNeverLeavesThePortWithoutABackend() throws Exception {
        f.deploy("web", 1, 8081);
        f.pass(reconciler, "web");
        String old = f.runningIds("web").get(0);
        f.deploy(new dev.orchestrator.api.ServiceSpec("web", NodeFixture.IMAGE, 1,
                List.of(new dev.orchestrator.api.PortMapping(8080, 8081, "tcp")), null, null, java.util.Map.of(),
                List.of("sh", "-c", "v2"), null, List.of(), null)); // revision 2: a new command

        Thread pass = Thread.ofVirtual().start(() -> reconciler.reconcileNow("web"));
        while (pass.isAlive()) { // the update waits for the new container to run a moment
            f.clock.advance(Duration.ofMillis(200));
            pass.join(20);
        }

        assertNotEquals(old, f.runningIds("web").get(0), "replaced");
        assertEquals(List.of("web-0"), f.lb.replicas(8081));
        assertTrue(!f.lb.everEmptied(8081), "the new container serves before the old one is withdrawn");
    }

    @Test
    void aReplicaTheRolloutHasNotReachedRestartsAtItsOwnRevisionWithItsOwnSpec() {
        f.deploy(NodeFixture.spec("web", NodeFixture.IMAGE, 2, List.of(), null));
        f.pass(reconciler, "web");
        f.store.services().put(new dev.orchestrator.api.ServiceSpec("web", NodeFixture.IMAGE, 2, List.of(), null,
                null, java.util.Map.of(), List.of("sh", "-c", "v2"), null, List.of(), null)); // revision 2
        for (int i = 0; i < 2; i++) { // the rollout has reached neither replica
            f.store.assignments().put(new dev.orchestrator.store.Assignment("web", i, NodeFixture.NODE, null,
                    f.clock.instant(), 1));
        }
        List<String> before = f.runningIds("web");

        f.pass(reconciler, "web");
        assertEquals(before, f.runningIds("web"), "nothing is replaced before the rollout reaches it");
        f.runtime.crash(before.get(0), 1);
        f.pass(reconciler, "web");

        ContainerDetails web0 = f.running("web").get(0);
        assertNotEquals(before.get(0), web0.id(), "restarted");
        assertEquals(java.util.OptionalLong.of(1), Labels.revision(web0.labels()), "at its own revision");
        assertEquals(List.of(1L, 1L), f.rows("web").stream().map(ReplicaRecord::revision).toList());
    }

    @Test
    void stopFirstStopsTheOldContainerBeforeTheNewOneStarts() {
        f.deploy("web", 1, 8081);
        f.pass(reconciler, "web");
        String old = f.runningIds("web").get(0);
        f.deploy(new dev.orchestrator.api.ServiceSpec("web", NodeFixture.IMAGE, 1,
                List.of(new dev.orchestrator.api.PortMapping(8080, 8081, "tcp")), null, null, java.util.Map.of(),
                List.of("sh", "-c", "v2"), null, List.of(), null).withUpdate(
                        new dev.orchestrator.api.UpdateConfig(null, null, "stop-first", null, null, null)));

        f.pass(reconciler, "web");

        assertNotEquals(old, f.runningIds("web").get(0), "replaced");
        assertTrue(f.lb.everEmptied(8081), "stop-first withdraws the old container before the new one serves");
        assertTrue(f.events.contains("update web-0: Updated web-0 to revision 2 (stop-first)"), f.events.toString());
    }

    @Test
    void aCrashedReplicaIsRestartedAtOnceThenWithBackoff() {
        f.deploy("web", 1, 0);
        f.pass(reconciler, "web");

        f.runtime.crash(f.runningIds("web").get(0), 1);
        f.pass(reconciler, "web");
        assertEquals(1, f.running("web").size(), "the first restart is immediate");

        f.runtime.crash(f.runningIds("web").get(0), 1);
        f.pass(reconciler, "web");
        assertEquals(1, f.running("web").size(), "the second too, but it arms a backoff");
        assertEquals("", f.row("web", 0).orElseThrow().message(), "running as it should: no backoff message");

        f.runtime.crash(f.runningIds("web").get(0), 1);
        f.pass(reconciler, "web");
        assertEquals(0, f.running("web").size(), "the third waits out the backoff");
        ReplicaRecord waiting = f.row("web", 0).orElseThrow();
        assertEquals(ReplicaState.RESTARTING, waiting.state());
        assertEquals("restarting (backoff 1s)", waiting.message());
        assertEquals(1, waiting.lastExitCode());

        f.clock.advance(Duration.ofSeconds(1));
        f.pass(reconciler, "web");
        assertEquals(1, f.running("web").size());
        ReplicaRecord back = f.row("web", 0).orElseThrow();
        assertEquals(ReplicaState.RUNNING, back.state());
        assertEquals(3, back.restartCount());
        assertTrue(f.events.contains("container web-0: Container web-0 exited with code 1"), f.events.toString());
    }

    @Test
    void aNewRevisionStartsWithoutTheBackoffTheOldOneEarned() {
        f.deploy("web", 1, 0);
        f.pass(reconciler, "web");
        for (int i = 0; i < 3; i++) {
            f.runtime.crash(f.runningIds("web").get(0), 1);
            f.pass(reconciler, "web");
        }
        assertEquals(0, f.running("web").size(), "the broken revision waits out its backoff");
        // The fix: a new command, so revision 2.
        f.deploy(new dev.orchestrator.api.ServiceSpec("web", NodeFixture.IMAGE, 1, List.of(), null, null,
                java.util.Map.of(), List.of("sh", "-c", "fixed"), null, List.of(), null));

        f.pass(reconciler, "web");

        assertEquals(1, f.running("web").size(), "revision 2 starts at once, not after the backoff");
        ReplicaRecord r = f.row("web", 0).orElseThrow();
        assertEquals(ReplicaState.RUNNING, r.state());
        assertEquals(2, r.revision());
        assertEquals("", r.message());
    }

    @Test
    void aCreateThatFailsForOneReplicaLeavesTheOthersStartedRecordedAndPublished() {
        FakeRuntime.Failure broken = f.runtime.fail(FakeRuntime.Op.CREATE, n -> n.startsWith("web-1."), -1,
                ErrorCode.RUNTIME_FAILURE, "no space left on device");
        f.deploy("web", 3, 8081);

        f.pass(reconciler, "web");

        assertEquals(List.of("running", "pending", "running"), states("web"));
        String message = f.row("web", 1).orElseThrow().message();
        assertTrue(message.startsWith("start failed: ") && message.contains("no space left on device"), message);
        assertEquals(List.of("web-0", "web-2"), f.lb.replicas(8081));

        broken.clear();
        f.clock.advance(RestartBackoff.CAP);
        f.pass(reconciler, "web");

        assertEquals(List.of("running", "running", "running"), states("web"));
        assertEquals("", f.row("web", 1).orElseThrow().message(), "the failure is forgotten once it starts");
        assertEquals(List.of("web-0", "web-1", "web-2"), f.lb.replicas(8081));
    }

    @Test
    void aMissingImageIsTheReplicasMessageAndOtherServicesRun() {
        f.deploy(NodeFixture.spec("broken", "absent:1", 1, List.of(), null));
        f.deploy("web", 1, 0);

        f.pass(reconciler, "broken");
        f.pass(reconciler, "web");

        assertEquals("pull failed: not found (manifest for absent:1 not found: manifest unknown)",
                f.row("broken", 0).orElseThrow().message());
        assertEquals(List.of("running"), states("web"));
    }

    @Test
    void aRemoveThatFailsDoesNotStopTheRestOfThePass() {
        f.deploy("web", 3, 8081);
        f.pass(reconciler, "web");
        FakeRuntime.Failure stuck = f.runtime.fail(FakeRuntime.Op.REMOVE, n -> n.startsWith("web-2."), -1,
                ErrorCode.CONFLICT, "removal of container is already in progress... not");

        f.scale("web", 1);
        f.pass(reconciler, "web");

        assertEquals(List.of(0), f.rows("web").stream().map(ReplicaRecord::index).toList(),
                "rows of removed replicas are deleted although one removal failed");
        assertEquals(List.of("web-0"), f.lb.replicas(8081));
        assertEquals(2, f.runtime.containers().size(), "web-0, and web-2 which could not be removed");

        stuck.clear();
        f.pass(reconciler, "web");
        assertEquals(1, f.runtime.containers().size());
    }

    @Test
    void aStopThatHangsDoesNotHoldUpOtherServices() {
        reconciler.start();
        f.deploy("slow", 1, 0);
        f.deploy("web", 1, 8081);
        reconciler.trigger("slow");
        reconciler.trigger("web");
        eventually("both running", () -> f.running("slow").size() == 1 && f.running("web").size() == 1);
        FakeRuntime.Hang hang = f.runtime.hangStops(n -> n.startsWith("slow-"));
        try {
            f.scale("slow", 0);
            reconciler.trigger("slow");
            eventually("the stop of slow-0 to hang", () -> hang.waiting() == 1);

            f.scale("web", 3);
            reconciler.trigger("web");

            eventually("web scaled to 3 and recorded", () -> f.running("web").size() == 3 && f.rows("web").size() == 3
                    && f.lb.replicas(8081).size() == 3);
            assertEquals(1, hang.waiting(), "slow-0 still stopping");
        } finally {
            hang.release();
        }
        eventually("slow-0 removed and its row deleted", () -> f.runtime.containers().stream()
                .noneMatch(c -> c.name().startsWith("slow-")) && f.rows("slow").isEmpty());
    }

    @Test
    void anUnreachableEngineIsRetriedAndHealsWhenItComesBack() {
        reconciler.start();
        f.runtime.unreachable(true);
        f.deploy("web", 2, 8081);
        reconciler.trigger("web");
        eventually("a pass to fail", () -> f.runtime.calls(FakeRuntime.Op.LIST) > 1 && reconciler.busy().isEmpty());
        assertEquals(List.of(), f.runtime.containers());

        f.runtime.unreachable(false); // the event stream reconnects with a RESYNC

        // Rows are recorded before the load balancer is given the backends: wait for both.
        eventually("both replicas running, recorded and published", () -> f.running("web").size() == 2
                && states("web").equals(List.of("running", "running"))
                && f.lb.replicas(8081).equals(List.of("web-0", "web-1")));
    }

    @Test
    void aDieEventThatGotLostIsHealedByTheResync() {
        reconciler.start();
        f.deploy("web", 1, 0);
        reconciler.trigger("web");
        eventually("web-0 running", () -> f.running("web").size() == 1);
        f.awaitIdle(reconciler);
        String first = f.runningIds("web").get(0);
        f.runtime.loseEvents(RuntimeEvent.Type.DIE);

        f.runtime.crash(first, 137);
        assertEquals(1, f.runtime.lostEvents());
        assertEquals(Set.of(), reconciler.busy(), "nobody was told");

        reconciler.resyncAll(); // what the periodic resync does

        eventually("a new web-0 running", () -> f.running("web").size() == 1 && !f.runningIds("web").contains(first));
        eventually("the restart recorded", () -> f.row("web", 0).map(r -> r.restartCount() == 1
                && r.state() == ReplicaState.RUNNING).orElse(false));
    }

    @Test
    void aCrashIsSeenThroughTheEventStream() {
        reconciler.start();
        f.deploy("web", 1, 0);
        reconciler.trigger("web");
        eventually("web-0 running", () -> f.running("web").size() == 1);
        String first = f.runningIds("web").get(0);

        f.runtime.crash(first, 2);

        eventually("a new web-0 running", () -> f.running("web").size() == 1 && !f.runningIds("web").contains(first));
    }

    @Test
    void aRestartedReconcilerAdoptsTheRunningContainersWithTheSameIds() {
        f.deploy("web", 3, 8081);
        f.pass(reconciler, "web");
        List<String> ids = f.runningIds("web");
        int creates = f.runtime.calls(FakeRuntime.Op.CREATE);
        reconciler.close();

        int publishes = f.lb.publishes();
        Reconciler restarted = f.reconciler();
        restarted.start();
        f.awaitIdle(restarted);

        assertTrue(f.lb.publishes() > publishes, "the restarted reconciler published the port again");
        assertEquals(List.of("web-0", "web-1", "web-2"), f.lb.replicas(8081));
        assertEquals(ids, f.runningIds("web"));
        assertEquals(creates, f.runtime.calls(FakeRuntime.Op.CREATE), "nothing was created");
        assertEquals(ids, f.rows("web").stream().map(ReplicaRecord::containerId).toList());
    }

    @Test
    void aDeletedServiceHasItsContainersAndRowsRemoved() {
        f.deploy("web", 2, 8081);
        f.pass(reconciler, "web");

        f.store.services().delete("web");
        f.pass(reconciler, "web");

        assertEquals(List.of(), f.runtime.containers());
        assertEquals(List.of(), f.rows("web"));
        assertTrue(!f.lb.published(8081), "the port is unpublished");
        assertNotEquals(0, f.runtime.calls(FakeRuntime.Op.STOP));
    }

    @Test
    void aFailedStartIsRetriedByItselfAndTheMessageGoesOnceItRuns() {
        reconciler.start();
        f.runtime.failNext(FakeRuntime.Op.START, 1, "OCI runtime create failed");
        f.deploy("web", 1, 0);
        reconciler.trigger("web");
        eventually("the failure recorded", () -> f.row("web", 0).map(r -> r.message().startsWith("start failed: "))
                .orElse(false));

        eventually("the retry timer's pass started it", () -> f.running("web").size() == 1
                && f.row("web", 0).map(r -> r.state() == ReplicaState.RUNNING && r.message().isEmpty()).orElse(false));
        assertEquals(1, f.runtime.containers().size(), "the half-made container of the failed start is gone");
    }

    @Test
    void manyReplicasStartInOnePass() {
        int n = 300;
        f.deploy("web", n, 8081);

        f.pass(reconciler, "web");

        assertEquals(n, f.running("web").size());
        assertEquals(n, f.rows("web").stream().filter(r -> r.state() == ReplicaState.RUNNING).count());
        assertEquals(n, f.lb.replicas(8081).size());
        assertEquals(n, f.runtime.calls(FakeRuntime.Op.CREATE), "one create per replica, no duplicates");
    }
}
