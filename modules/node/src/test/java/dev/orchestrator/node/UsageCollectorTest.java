package dev.orchestrator.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.spi.ContainerRequest;
import dev.orchestrator.cluster.Protocol;
import dev.orchestrator.store.Health;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.ReplicaState;
import dev.orchestrator.testkit.FakeRuntime;
import dev.orchestrator.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UsageCollectorTest {
    private static final long MIB = 1L << 20;
    private final ManualClock clock = TestClock.create();
    private final FakeRuntime runtime = new FakeRuntime(clock).addImage("web:1");
    private final List<ReplicaRecord> rows = new ArrayList<>();
    private final UsageCollector collector = new UsageCollector(runtime, () -> List.copyOf(rows), clock,
            UsageCollector.INTERVAL);

    @AfterEach
    void close() {
        collector.close();
    }

    @Test
    void memoryAfterOneSampleCpuAfterTwo() throws InterruptedException {
        String id = running("web", 0, 256 * MIB);
        runtime.use(id, 0.5, 100 * MIB);

        collector.collectOnce();
        Protocol.ReplicaUsage first = only();
        assertEquals(100 * MIB, first.memoryBytes());
        assertEquals(256 * MIB, first.memoryLimitBytes());
        assertNull(first.cpuPercent(), "one sample cannot tell a rate: unknown, not 0");

        clock.advance(UsageCollector.INTERVAL);
        collector.collectOnce();
        assertEquals(50.0, only().cpuPercent());

        runtime.use(id, 1.25, 120 * MIB);
        clock.advance(UsageCollector.INTERVAL);
        collector.collectOnce();
        assertEquals(125.0, only().cpuPercent());
        assertEquals(120 * MIB, only().memoryBytes());
        assertEquals(new Protocol.ReplicaUsage("web", 0, id, 125.0, 120 * MIB, 256 * MIB, 0), only());
    }

    @Test
    void aReplicaTheRuntimeDoesNotMeasureHasNoStats() throws InterruptedException {
        running("web", 0, 0); // no use scripted: the fake measures nothing
        collector.collectOnce();
        assertEquals(List.of(), collector.snapshot());
    }

    @Test
    void aStoppedReplicaLosesItsStats() throws InterruptedException {
        String id = running("web", 0, 0);
        runtime.use(id, 0.1, 10 * MIB);
        collector.collectOnce();
        assertEquals(1, collector.snapshot().size());

        runtime.stop(id, Duration.ofSeconds(1));
        collector.collectOnce();
        assertEquals(List.of(), collector.snapshot());
    }

    @Test
    void failedReadsKeepTheLastSampleUntilItIsStale() throws InterruptedException {
        String id = running("web", 0, 0);
        runtime.use(id, 0.1, 10 * MIB);
        collector.collectOnce();
        runtime.failNext(FakeRuntime.Op.STATS, 100, "engine busy");

        clock.advance(UsageCollector.INTERVAL);
        collector.collectOnce();
        assertEquals(UsageCollector.INTERVAL.toMillis(), only().ageMillis(), "the last sample, aged");

        clock.advance(UsageCollector.STALE_AFTER);
        collector.collectOnce();
        assertEquals(List.of(), collector.snapshot(), "stale stats are not reported as current");
    }

    @Test
    void aReplicaGoneFromTheRowsIsForgotten() throws InterruptedException {
        String id = running("web", 0, 0);
        runtime.use(id, 0.1, 10 * MIB);
        collector.collectOnce();
        rows.clear();
        collector.collectOnce();
        assertEquals(List.of(), collector.snapshot());
    }

    @Test
    void cpuPercentIsUnknownForTheSameSampleOrACounterThatWentBack() {
        var t0 = TestClock.T0;
        var a = new dev.orchestrator.api.spi.ContainerStats(t0, 1_000_000_000L, 1, -1);
        var b = new dev.orchestrator.api.spi.ContainerStats(t0.plusSeconds(2), 2_000_000_000L, 1, -1);
        assertEquals(50.0, UsageCollector.cpuPercent(a, b));
        assertNull(UsageCollector.cpuPercent(a, a));
        assertNull(UsageCollector.cpuPercent(b, new dev.orchestrator.api.spi.ContainerStats(t0.plusSeconds(4), 0, 1, -1)));
    }

    private Protocol.ReplicaUsage only() {
        List<Protocol.ReplicaUsage> all = collector.snapshot();
        assertEquals(1, all.size(), "usage " + all);
        return all.getFirst();
    }

    private String running(String service, int index, long memoryLimit) {
        String id = runtime.create(new ContainerRequest(service + "-" + index + ".x", "web:1", Map.of(), Map.of(),
                List.of(), List.of(), memoryLimit, 0, null, List.of()));
        runtime.start(id);
        rows.add(new ReplicaRecord(service, index, "n1", id, service + "-" + index + ".x", 1, ReplicaState.RUNNING,
                Health.NONE, 0, null, 0, "", clock.instant()));
        assertTrue(runtime.inspect(id).orElseThrow().running());
        return id;
    }
}
