package dev.orchestrator.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A UTC clock that only moves when the test says so: deterministic timeouts, backoffs and
 * failure detection in unit tests. Thread-safe (the instant is volatile).
 */
public final class ManualClock extends Clock {
    private volatile Instant now;

    /** @param start the instant it shows until moved */
    public ManualClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** @throws UnsupportedOperationException always: tests use UTC */
    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a ManualClock is UTC");
    }

    @Override
    public Instant instant() {
        return now;
    }

    /** @param d how far to move it forward */
    public void advance(Duration d) {
        now = now.plus(d);
    }
}
