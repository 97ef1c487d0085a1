package dev.orchestrator.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.spi.ContainerDetails;
import dev.orchestrator.store.ServiceRecord;
import dev.orchestrator.testkit.FakeRuntime;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** ReplicaActions alone: one result per action, failures as values. */
@Timeout(30)
class ReplicaActionsTest {
    @TempDir
    Path dir;
    private NodeFixture f;
    private HealthMonitor monitor;
    private ReplicaActions actions;
    private final RestartBackoff backoff = new RestartBackoff();
    private final List<String> withdrawn = new CopyOnWriteArrayList<>();
    private ServiceRecord web;

    @BeforeEach
    void setUp() {
        f = new NodeFixture(dir);
        monitor = new HealthMonitor(type -> f.probe, f.runtime, "127.0.0.1", f.sink(), f.clock, (s, i, id, h) -> { });
        actions = new ReplicaActions(f.node, NodeFixture.CLUSTER, f.sink(), backoff, f.clock, NodeFixture.SETTINGS,
                monitor, (service, id) -> withdrawn.add(id));
        web = f.deploy("web", 3, 0);
    }

    @AfterEach
    void tearDown() {
        monitor.close();
        f.close();
    }

    private List<ActionResult> execute(Action... plan) {
        return actions.execute(new Plan("web", List.of(plan)), web, i -> web);
    }

    @Test
    void everyActionYieldsItsOwnResultAndOneFailureStopsNoOther() {
        f.runtime.fail(FakeRuntime.Op.CREATE, n -> n.startsWith("web-1."), 1, ErrorCode.RUNTIME_FAILURE, "disk full");

        List<ActionResult> results = execute(new Action.Start(0), new Action.Start(1), new Action.Start(2));

        assertEquals(3, results.size());
        var failed = results.stream().filter(r -> r instanceof ActionResult.Failed).toList();
        assertEquals(1, failed.size(), results.toString());
        var f1 = assertInstanceOf(ActionResult.Failed.class, failed.get(0));
        assertEquals(1, f1.index());
        assertEquals("start", f1.step());
        assertTrue(f1.message().startsWith("start failed: ") && f1.message().endsWith("disk full"), f1.message());
        assertEquals(2, f.runtime.running().size());
        assertEquals(Optional.of(f1.message()), actions.failure("web", 1));
        assertEquals(1, backoff.failures("web", 1), "a failed start backs off like a crash");
        assertTrue(f.events.stream().anyMatch(e -> e.contains("web-1 failed to start") && e.endsWith("disk full")),
                f.events.toString());
    }

    @Test
    void aReplicaForgetsItsFailureOnceItSucceeds() {
        f.runtime.failNext(FakeRuntime.Op.CREATE, 1, "daemon busy");
        execute(new Action.Start(0));
        assertTrue(actions.failure("web", 0).isPresent());

        List<ActionResult> again = execute(new Action.Start(0));

        assertEquals(1, again.size());
        var done = assertInstanceOf(ActionResult.Done.class, again.get(0));
        assertEquals(new Action.Start(0), done.action());
        assertEquals(f.runtime.running().get(0).id(), done.started().id(), "the start says what it started");
        assertEquals(Optional.empty(), actions.failure("web", 0));
    }

    @Test
    void aFailedStartMakesTheNodeLookItsNetworksUpAgain() {
        // A node sharing the engine removed the network this container names: the start fails,
        // and the next create must not be given the same vanished network.
        var forgotten = new CopyOnWriteArrayList<String>();
        Attachments remembering = new Attachments() {
            @Override
            public Attachment of(dev.orchestrator.api.ServiceSpec spec) {
                return Attachment.DEFAULT;
            }

            @Override
            public void createFailed(dev.orchestrator.api.ServiceSpec spec) {
                forgotten.add(spec.name());
            }
        };
        LocalNode n = f.node;
        var node = new LocalNode(n.name(), n.address(), n.runtime(), n.loadBalancer(), n.ingressAddress(),
                n.replicaAddress(), n.policies(), remembering);
        var own = new ReplicaActions(node, NodeFixture.CLUSTER, f.sink(), backoff, f.clock, NodeFixture.SETTINGS,
                monitor, (service, id) -> withdrawn.add(id));
        f.runtime.failNext(FakeRuntime.Op.START, 1, "network 91b2 not found");

        List<ActionResult> results = own.execute(new Plan("web", List.of(new Action.Start(0))), web, i -> web);

        assertInstanceOf(ActionResult.Failed.class, results.get(0));
        assertEquals(List.of("web"), forgotten);
        assertTrue(f.runtime.containers().isEmpty(), "the container that could not start is gone");
    }

    @Test
    void aFailedStopIsAResultAndTheContainerIsWithdrawnFirst() {
        execute(new Action.Start(0), new Action.Start(1));
        List<ContainerDetails> running = f.runtime.running();
        f.runtime.fail(FakeRuntime.Op.STOP, running.get(0).name()::equals, -1, ErrorCode.RUNTIME_FAILURE, "timeout");

        List<ActionResult> results = execute(new Action.Remove(0, running.get(0), "scaled down"),
                new Action.Remove(1, running.get(1), "scaled down"));

        var stop = results.stream().filter(r -> r.index() == 0).findFirst().orElseThrow();
        assertEquals("stop", assertInstanceOf(ActionResult.Failed.class, stop).step());
        assertInstanceOf(ActionResult.Done.class, results.stream().filter(r -> r.index() == 1).findFirst().orElseThrow());
        assertEquals(List.of(running.get(0).id()), f.runtime.running().stream().map(ContainerDetails::id).toList());
        assertEquals(2, withdrawn.size(), "both taken out of the load balancer before their stop");
    }

    @Test
    void aRestartWhoseOldContainerCannotBeRemovedStartsNothing() {
        execute(new Action.Start(0));
        ContainerDetails c = f.runtime.running().get(0);
        f.runtime.crash(c.id(), 1);
        ContainerDetails dead = f.runtime.inspect(c.id()).orElseThrow();
        f.runtime.failNext(FakeRuntime.Op.REMOVE, 1, "device busy");

        List<ActionResult> results = execute(new Action.Restart(0, dead, false));

        assertEquals("remove", assertInstanceOf(ActionResult.Failed.class, results.get(0)).step());
        assertEquals(List.of(), f.runtime.running(), "no second container next to the one that is still there");
    }

    @Test
    void anUnhealthyReplicasReplacementRunsWhileTheOldOneTakesItsStopGrace() throws Exception {
        execute(new Action.Start(0));
        ContainerDetails old = f.runtime.running().get(0);
        FakeRuntime.Hang grace = f.runtime.hangStops(old.name()::equals);

        List<ActionResult> results = execute(new Action.Restart(0, old, true));

        var done = assertInstanceOf(ActionResult.Done.class, results.get(0));
        assertTrue(done.started() != null && done.started().running(), "the replacement runs: " + results);
        assertEquals(List.of(old.id()), withdrawn, "the old one left the load balancers first");
        assertTrue(actions.stoppingAside(old.id()), "the old one is still in its stop grace, aside");
        assertEquals(2, f.runtime.running().size());
        grace.release();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (actions.stoppingAside(old.id()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of(done.started().id()), f.runtime.containers().stream().map(ContainerDetails::id).toList(),
                "the old one is gone once stopped");
    }

    @Test
    void keepAndWaitYieldNoResult() {
        execute(new Action.Start(0));
        ContainerDetails c = f.runtime.running().get(0);

        assertEquals(List.of(), execute(new Action.Keep(0, c), new Action.Wait(1, f.clock.instant(), null)));
    }
}
