package dev.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.store.Store;
import dev.orchestrator.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Silence is measured on monotonic time: a step of the wall clock marks no node down. */
class LivenessTest {
    @TempDir
    Path dir;

    @Test
    void aStepOfTheWallClockDoesNotMoveTheMonotonicOne() {
        var wall = new ManualClock(Fixtures.T0);
        Clock live = Liveness.monotonic(wall);
        wall.advance(Duration.ofSeconds(5)); // an NTP step forward
        assertTrue(Duration.between(Fixtures.T0, live.instant()).compareTo(Duration.ofSeconds(1)) < 0,
                "moved only by elapsed time: " + live.instant());
        assertSame(wall, Liveness.of(wall), "a test's clock is used as it is");
    }

    @Test
    void aNodeHeardJustBeforeAWallClockStepIsNotDown() {
        var wall = new ManualClock(Fixtures.T0);
        try (Store store = Store.open(dir, wall)) {
            var registry = new NodeRegistry(store, Duration.ofSeconds(5), Liveness.monotonic(wall));
            Protocol.Heartbeat hb = NodeGatewayTest.hb("n1");
            store.runInTransaction(tx -> registry.register(tx, hb, wall.instant(), new java.util.ArrayList<>()));
            registry.heard(hb, wall.instant());

            wall.advance(Duration.ofSeconds(6)); // the wall clock jumps past the timeout

            assertEquals(List.of(), registry.check());
            assertEquals(wall.instant().minusSeconds(6), registry.lastSeen("n1").orElseThrow(),
                    "the time shown to people is the wall clock's");
        }
    }
}
