package dev.orchestrator.node;

import dev.orchestrator.testkit.ManualClock;
import java.time.Instant;

/** The agent tests' start of time and their clock. */
final class TestClock {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private TestClock() {
    }

    static ManualClock create() {
        return new ManualClock(T0);
    }
}
