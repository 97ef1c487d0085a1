package dev.orchestrator.cluster;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The clock that decides whether a node is silent: the system's monotonic time, not its wall
 * clock, so an NTP step forward of 5 s does not mark every node down (and one backward does not
 * keep a dead node up). Its instants start at the wall time of its creation and then only move
 * with {@link System#nanoTime()}.
 *
 * <p>Thread-safe.
 */
final class Liveness {
    private Liveness() {
    }

    /**
     * @param wall the clock the caller was given
     * @return a monotonic clock for the system clock; any other clock (a test's manual clock)
     *         as it is, so tests still move time by hand
     */
    static Clock of(Clock wall) {
        return wall.equals(Clock.systemUTC()) || wall.equals(Clock.systemDefaultZone()) ? monotonic(wall) : wall;
    }

    /**
     * @param wall where the instants start
     * @return a clock that moves with the monotonic time only
     */
    static Clock monotonic(Clock wall) {
        return new Monotonic(wall.instant(), System.nanoTime(), wall.getZone());
    }

    private static final class Monotonic extends Clock {
        private final Instant origin;
        private final long originNanos;
        private final ZoneId zone;

        Monotonic(Instant origin, long originNanos, ZoneId zone) {
            this.origin = origin;
            this.originNanos = originNanos;
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId z) {
            return new Monotonic(origin, originNanos, z);
        }

        @Override
        public Instant instant() {
            return origin.plusNanos(System.nanoTime() - originNanos);
        }
    }
}
