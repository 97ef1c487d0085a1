package dev.orchestrator.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Counts failures per key (a client address, a user name) in a fixed window; a key with
 * {@code limit} failures in its window is blocked until the window ends. Keys come from
 * clients, so at most {@code capacity} are tracked: when full, expired windows go, and a new key
 * that still finds no room is not counted (the cap on concurrent checks still bounds its cost).
 * Thread-safe.
 */
final class FailureThrottle {
    private record Window(long start, int failures) {
    }

    private final int limit;
    private final long windowNanos;
    private final int capacity;
    private final LongSupplier nanoTime;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /**
     * @param limit    failures that block a key
     * @param window   the window's length
     * @param capacity the most keys tracked
     * @param nanoTime the clock, {@link System#nanoTime()} but in tests
     */
    FailureThrottle(int limit, Duration window, int capacity, LongSupplier nanoTime) {
        this.limit = limit;
        this.windowNanos = window.toNanos();
        this.capacity = capacity;
        this.nanoTime = nanoTime;
    }

    /**
     * @param key the key
     * @return how long the key is still blocked; zero when it is not
     */
    Duration blocked(String key) {
        Window w = windows.get(key);
        long now = nanoTime.getAsLong();
        if (w == null || w.failures() < limit || now - w.start() >= windowNanos) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(windowNanos - (now - w.start()));
    }

    /** @param key a key that just failed */
    void failed(String key) {
        long now = nanoTime.getAsLong();
        if (!windows.containsKey(key) && windows.size() >= capacity) {
            windows.values().removeIf(w -> now - w.start() >= windowNanos);
            if (windows.size() >= capacity) {
                return;
            }
        }
        windows.compute(key, (k, w) -> w == null || now - w.start() >= windowNanos ? new Window(now, 1)
                : new Window(w.start(), w.failures() + 1));
    }

    /** @param key a key that just succeeded: its failures are forgotten */
    void succeeded(String key) {
        windows.remove(key);
    }

    /** @return the keys tracked */
    int size() {
        return windows.size();
    }
}
