package dev.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObservationsTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Observations observations = new Observations(clock);

    @Test
    void aSampleIsCurrentUntilItIsStaleByTheServersClock() {
        var usage = new Protocol.ReplicaUsage("web", 0, "c0", 12.5, 1000, 4000, 3000);
        observations.record("n1", new Protocol.Observed(List.of(usage), List.of(), List.of()), clock.instant());

        var u = observations.usage("web", 0, "c0").orElseThrow();
        assertEquals("n1", u.node());
        assertEquals(clock.instant().minusSeconds(3), u.sampled(), "dated by its age, not the node's clock");
        assertTrue(observations.usage("web", 0, "c1").isEmpty(), "another container's sample is not the replica's");
        assertTrue(observations.usage("web", 1, "c0").isEmpty());

        clock.advance(Observations.STALE_AFTER.minusSeconds(3));
        assertTrue(observations.usage("web", 0, "c0").isPresent());
        clock.advance(Duration.ofMillis(1));
        assertTrue(observations.usage("web", 0, "c0").isEmpty(), "stale stats are not reported as current");
        assertEquals(1, observations.all().size(), "the counters stay known");
        assertEquals(1, observations.fresh().size(), "the report itself is 17 s old");
        clock.advance(Duration.ofSeconds(4));
        assertTrue(observations.fresh().isEmpty(), "a node that stopped reporting has no current gauges");
    }

    @Test
    void forgettingANodeDropsItsMeasurements() {
        var usage = new Protocol.ReplicaUsage("web", 0, "c0", null, 1000, -1, 0);
        observations.record("n1", new Protocol.Observed(List.of(usage), List.of(), List.of()), clock.instant());
        observations.forget("n1");
        assertTrue(observations.currentUsage().isEmpty());
        assertTrue(observations.all().isEmpty());
    }
}
