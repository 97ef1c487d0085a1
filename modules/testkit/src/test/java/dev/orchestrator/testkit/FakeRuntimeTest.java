package dev.orchestrator.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.ContainerRequest;
import dev.orchestrator.api.spi.ContainerState;
import dev.orchestrator.api.spi.RuntimeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fake's scripted behaviour, which the contract does not cover. */
@Timeout(10)
class FakeRuntimeTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final ManualClock clock = new ManualClock(T0);
    private final FakeRuntime rt = new FakeRuntime(clock).addImage("app:1", "hello");
    private final List<RuntimeEvent> events = new CopyOnWriteArrayList<>();

    private static ContainerRequest request(String name) {
        return new ContainerRequest(name, "app:1", Map.of("svc", "web"), Map.of(), List.of(), List.of(), 0, 0, null,
                List.of());
    }

    private String run(String name) {
        String id = rt.create(request(name));
        rt.start(id);
        return id;
    }

    private List<RuntimeEvent.Type> types() {
        return events.stream().map(RuntimeEvent::type).toList();
    }

    @Test
    void eventsAreDeliveredInOrderWithTheClocksTime() {
        rt.events(events::add);
        String id = run("a");
        clock.advance(Duration.ofSeconds(5));
        rt.crash(id, 3);
        rt.remove(id, false);
        assertEquals(List.of(RuntimeEvent.Type.CREATE, RuntimeEvent.Type.START, RuntimeEvent.Type.DIE,
                RuntimeEvent.Type.DESTROY), types());
        assertEquals(3, events.get(2).exitCode());
        assertEquals(T0.plusSeconds(5), events.get(2).time());
        assertEquals("web", events.get(2).labels().get("svc"));
    }

    @Test
    void theNextCreatesFailThenSucceed() {
        FakeRuntime.Failure f = rt.failNext(FakeRuntime.Op.CREATE, 2, "no space left on device");
        for (int i = 0; i < 2; i++) {
            var e = assertThrows(OrchestratorException.class, () -> rt.create(request("a")));
            assertEquals(ErrorCode.RUNTIME_FAILURE, e.code());
            assertTrue(e.getMessage().endsWith("no space left on device"), e.getMessage());
        }
        rt.create(request("a"));
        assertEquals(2, f.hits());
        assertEquals(3, rt.calls(FakeRuntime.Op.CREATE));
    }

    @Test
    void failuresCanTargetOneContainerByName() {
        rt.fail(FakeRuntime.Op.CREATE, "web-1"::equals, -1, ErrorCode.INVALID_ARGUMENT, "bad");
        rt.create(request("web-0"));
        assertThrows(OrchestratorException.class, () -> rt.create(request("web-1")));
        assertThrows(OrchestratorException.class, () -> rt.create(request("web-1")));
        rt.create(request("web-2"));
    }

    @Test
    void aCrashingImageExitsAsItStarts() {
        rt.addCrashingImage("crash:1", 1);
        rt.events(events::add);
        String id = rt.create(new ContainerRequest("c", "crash:1", Map.of(), Map.of(), List.of(), List.of(), 0, 0,
                null, List.of()));
        rt.start(id);
        assertEquals(ContainerState.EXITED, rt.inspect(id).orElseThrow().state());
        assertEquals(1, rt.inspect(id).orElseThrow().exitCode());
        assertEquals(RuntimeEvent.Type.DIE, events.getLast().type());
    }

    @Test
    void anOomKillReportsOomThenDie() {
        String id = run("a");
        rt.events(events::add);
        rt.oomKill(id);
        assertEquals(List.of(RuntimeEvent.Type.OOM, RuntimeEvent.Type.DIE), types());
        assertTrue(rt.inspect(id).orElseThrow().oomKilled());
        assertEquals(FakeRuntime.SIGKILL_EXIT, rt.inspect(id).orElseThrow().exitCode());
    }

    @Test
    void lostDieEventsReachNobody() {
        String id = run("a");
        rt.events(events::add);
        rt.loseEvents(RuntimeEvent.Type.DIE);
        rt.crash(id, 1);
        assertEquals(List.of(), events);
        assertEquals(1, rt.lostEvents());
        rt.stopLosingEvents();
        rt.remove(id, true);
        assertEquals(List.of(RuntimeEvent.Type.DESTROY), types());
    }

    @Test
    void anUnreachableEngineFailsEveryCallLikeDockerAndResyncsWhenBack() {
        String id = run("a");
        rt.events(events::add);
        rt.unreachable(true);
        var e = assertThrows(OrchestratorException.class, () -> rt.list(Map.of()));
        assertEquals(ErrorCode.RUNTIME_FAILURE, e.code());
        assertEquals("docker at fake://engine: cannot list containers with labels {}: Connection refused",
                e.getMessage());
        assertThrows(OrchestratorException.class, () -> rt.inspect(id));
        assertThrows(OrchestratorException.class, () -> rt.stop(id, Duration.ZERO));
        assertThrows(OrchestratorException.class, () -> rt.create(request("b")));
        rt.crash(id, 1); // happens meanwhile; its event is lost with the stream
        rt.unreachable(false);
        assertEquals(List.of(RuntimeEvent.Type.RESYNC), types());
        assertEquals(ContainerState.EXITED, rt.inspect(id).orElseThrow().state());
    }

    @Test
    void aHungStopBlocksUntilReleasedAndOnlyItself() throws Exception {
        String slow = run("slow");
        String quick = run("quick");
        FakeRuntime.Hang hang = rt.hangStops("slow"::equals);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var stopping = CompletableFuture.runAsync(() -> rt.stop(slow, Duration.ofSeconds(1)), pool);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (hang.waiting() == 0 && System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            assertEquals(1, hang.waiting());
            rt.stop(quick, Duration.ofSeconds(1));
            assertEquals(ContainerState.EXITED, rt.inspect(quick).orElseThrow().state());
            assertEquals(ContainerState.RUNNING, rt.inspect(slow).orElseThrow().state());
            hang.release();
            stopping.get(5, TimeUnit.SECONDS);
        }
        assertEquals(FakeRuntime.SIGTERM_EXIT, rt.inspect(slow).orElseThrow().exitCode());
    }

    @Test
    void aHangForADurationEndsByItself() {
        String id = run("a");
        rt.hangStops(n -> true, Duration.ofMillis(50));
        rt.stop(id, Duration.ZERO);
        assertEquals(ContainerState.EXITED, rt.inspect(id).orElseThrow().state());
    }

    @Test
    void idsAndPortsAreDistinctAndDeterministic() {
        var other = new FakeRuntime(new ManualClock(T0)).addImage("app:1");
        String a = rt.create(request("a"));
        String b = rt.create(request("b"));
        assertNotEquals(a.substring(0, 12), b.substring(0, 12), "short ids differ");
        assertEquals(64, a.length());
        assertEquals(a, other.create(request("a")), "the same seed gives the same ids");
    }

    @Test
    void concurrentCallersSeeEveryEventOnceAndInOrderPerContainer() throws Exception {
        rt.events(events::add);
        int n = 200;
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int k = i;
                pool.submit(() -> rt.remove(run("c" + k), true));
            }
        }
        assertEquals(n * 4, events.size());
        var byId = new java.util.HashMap<String, List<RuntimeEvent.Type>>();
        events.forEach(e -> byId.computeIfAbsent(e.containerId(), x -> new java.util.ArrayList<>()).add(e.type()));
        byId.values().forEach(t -> assertEquals(List.of(RuntimeEvent.Type.CREATE, RuntimeEvent.Type.START,
                RuntimeEvent.Type.DIE, RuntimeEvent.Type.DESTROY), t));
        assertEquals(List.of(), rt.containers());
    }
}
