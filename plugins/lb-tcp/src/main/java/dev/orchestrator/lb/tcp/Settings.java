package dev.orchestrator.lb.tcp;

import java.time.Duration;
import java.util.Objects;

/**
 * The balancer's settings.
 *
 * @param connect     longest wait for one backend to accept a connection, positive
 * @param idle        close a connection after this long without traffic; zero for never
 * @param maxAttempts how many backends one connection tries before it is closed, at least 1
 */
record Settings(Duration connect, Duration idle, int maxAttempts) {
    /** By default a connection tries up to three backends: enough to ride out a replica or two going down. */
    static final int DEFAULT_MAX_ATTEMPTS = 3;

    Settings {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(idle, "idle");
        if (connect.isZero() || connect.isNegative() || idle.isNegative() || maxAttempts < 1) {
            throw new IllegalArgumentException("connect must be positive, idle not negative and maxAttempts"
                    + " at least 1: " + connect + ", " + idle + ", " + maxAttempts);
        }
    }

    /** With the default number of attempts. */
    Settings(Duration connect, Duration idle) {
        this(connect, idle, DEFAULT_MAX_ATTEMPTS);
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
