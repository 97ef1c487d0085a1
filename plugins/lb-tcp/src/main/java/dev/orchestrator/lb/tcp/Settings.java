package dev.orchestrator.lb.tcp;

import java.time.Duration;
import java.util.Objects;

/**
 * The balancer's settings.
 *
 * @param connect     longest wait for one backend to accept a connection, positive
 * @param idle        close a connection after this long without traffic; zero for never
 * @param maxAttempts how many backends one connection tries before it is closed, at least 1
 * @param eventLoops  how many threads relay bytes, at least 1
 */
record Settings(Duration connect, Duration idle, int maxAttempts, int eventLoops) {
    /** By default a connection tries up to three backends: enough to ride out a replica or two going down. */
    static final int DEFAULT_MAX_ATTEMPTS = 3;

    Settings {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(idle, "idle");
        if (connect.isZero() || connect.isNegative() || idle.isNegative() || maxAttempts < 1 || eventLoops < 1) {
            throw new IllegalArgumentException("connect must be positive, idle not negative, maxAttempts and"
                    + " eventLoops at least 1: " + connect + ", " + idle + ", " + maxAttempts + ", " + eventLoops);
        }
    }

    /** With the default number of attempts. */
    Settings(Duration connect, Duration idle) {
        this(connect, idle, DEFAULT_MAX_ATTEMPTS);
    }

    /** With the default number of event loops. */
    Settings(Duration connect, Duration idle, int maxAttempts) {
        this(connect, idle, maxAttempts, defaultEventLoops());
    }

    /**
     * @return half the processors, at least one: the node's replicas need the rest; on the
     *         2-core bench machine, shared with client and backends, one loop relayed more
     *         requests than two (docs/benchmarks.md)
     */
    static int defaultEventLoops() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** @return the connect timeout as {@link java.net.Socket#connect(java.net.SocketAddress, int)} wants it */
    int connectMillis() {
        return millis(connect);
    }

    /** @return the idle timeout as {@link java.net.Socket#setSoTimeout(int)} wants it; 0 means none */
    int idleMillis() {
        return millis(idle);
    }

    private static int millis(Duration d) {
        // Socket APIs take an int; a timeout of 24 days or more is as good as none. A sub-ms
        // value must not round down to 0, which the socket would read as "infinite".
        long ms = d.isZero() ? 0 : Math.max(1, d.toMillis());
        return (int) Math.min(ms, Integer.MAX_VALUE);
    }
}
