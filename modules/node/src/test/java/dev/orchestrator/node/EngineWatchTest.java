package dev.orchestrator.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.store.Health;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.ReplicaState;
import dev.orchestrator.store.Store;
import dev.orchestrator.testkit.FakeRuntime;
import dev.orchestrator.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node noticing that its engine went away and came back, over the fake runtime. */
class EngineWatchTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void twoFailedPingsMakeItUnreachableOnceAndTheFirstAnswerBringsItBack() {
        var clock = new ManualClock(T0);
        var runtime = new FakeRuntime(clock);
        var said = new ArrayList<String>();
        var watch = new EngineWatch(runtime, clock, reason -> said.add("lost: " + reason),
                (reason, outage) -> said.add("back after " + outage.toSeconds() + "s"));
        watch.check();
        runtime.unreachable(true);
        watch.check();
        assertEquals(List.of(), said, "one failed ping may be a hiccup");
        assertNull(watch.problem());
        clock.advance(Duration.ofSeconds(1));
        watch.check();
        watch.check();
        assertEquals(1, said.size(), "said once: " + said);
        assertEquals(true, said.getFirst().startsWith("lost: "), said.toString());
        clock.advance(Duration.ofSeconds(44));
        runtime.unreachable(false);
        watch.check();
        assertEquals("back after 44s", said.get(1));
        assertNull(watch.problem());
    }

    @Test
    void theNodesReplicasWithContainersBecomeUnknown() {
        try (Store store = Store.open(dir)) {
            store.services().put(new ServiceSpec("web", "web:1", 3, null, null, null, null, List.of(), null,
                    List.of(), null));
            store.replicas().put(row(0, "n1", "c0"));
            store.replicas().put(row(1, "n2", "c1"));
            store.replicas().put(row(2, "n1", null));
            store.services().put(new ServiceSpec("db", "db:1", 1, null, null, null, null, List.of(), null,
                    List.of(), null));
            store.replicas().put(new ReplicaRecord("db", 0, "n1", null, null, 1, ReplicaState.RESTARTING, Health.NONE,
                    2, 1, 0, "restarting (backoff 1s)", T0));
            assertEquals(2, Node.markUnknown(store, "n1", "Docker engine unreachable", T0.plusSeconds(5)));
            assertEquals(ReplicaState.UNKNOWN, store.replicas().get("db", 0).orElseThrow().state(),
                    "a restart that cannot happen is not known either");
            ReplicaRecord mine = store.replicas().get("web", 0).orElseThrow();
            assertEquals(ReplicaState.UNKNOWN, mine.state());
            assertEquals(Health.UNKNOWN, mine.health());
            assertEquals("Docker engine unreachable", mine.message());
            assertEquals(ReplicaState.RUNNING, store.replicas().get("web", 1).orElseThrow().state(), "another node's");
            assertEquals(ReplicaState.PENDING, store.replicas().get("web", 2).orElseThrow().state(), "no container");
        }
    }

    private static ReplicaRecord row(int index, String node, String container) {
        return new ReplicaRecord("web", index, node, container, container == null ? null : "web-" + index + ".x", 1,
                container == null ? ReplicaState.PENDING : ReplicaState.RUNNING,
                container == null ? Health.NONE : Health.HEALTHY, 0, null, 0, "", T0);
    }
}
