package dev.orchestrator.server;

import java.time.Duration;

/**
 * What one client may cost the server before it has proven who it is, and what a slow or
 * hostile one may hold: request body sizes per route, how long a request's headers may take,
 * how long an idle connection is kept, how many connections are open at once, and how failed
 * password checks are throttled. Every value is checked by a test over real HTTP.
 *
 * @param apiBody                  the largest {@code /api} request body, in bytes
 * @param agentBody                the largest request body of the agents' routes (heartbeats),
 *                                 in bytes; also the listener's limit, refused before a byte of
 *                                 the body is read
 * @param headerDeadline           how long a request's headers may take after its request line
 * @param idleTimeout              how long a connection may sit without a request, or spend
 *                                 sending one request line
 * @param maxConnections           connections open at once; further ones wait in the backlog
 * @param failuresPerAddress       failed password checks per client address in a window
 * @param failuresPerUser          failed password checks per user name in a window
 * @param failureWindow            the window of those counts; past the count, the address or
 *                                 user is answered 429 until the window ends
 * @param concurrentPasswordChecks password derivations (PBKDF2) at once; a few more wait briefly,
 *                                 the rest are answered 429
 * @param rememberCredentials      how long a correct password is remembered, so that a client
 *                                 does not pay a derivation per request
 */
record Limits(long apiBody, long agentBody, Duration headerDeadline, Duration idleTimeout, int maxConnections,
              int failuresPerAddress, int failuresPerUser, Duration failureWindow, int concurrentPasswordChecks,
              Duration rememberCredentials) {
    static final long MIB = 1024 * 1024;

    /**
     * The idle timeout: longer than an agent's watch is held ({@code Protocol.WATCH_WAIT}, 30 s),
     * since Helidon also counts a request being handled as idle time and closes the connection
     * after the answer of a request that took longer.
     */
    static final Duration IDLE = Duration.ofSeconds(45);

    /** The server's limits. */
    static final Limits DEFAULT = new Limits(MIB, 4 * MIB, Duration.ofSeconds(10), IDLE, 2048,
            10, 20, Duration.ofMinutes(1), Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
            Duration.ofMinutes(1));

    Limits {
        if (apiBody <= 0 || agentBody < apiBody) {
            throw new IllegalArgumentException("body limits: api " + apiBody + ", agent " + agentBody);
        }
        if (maxConnections < 1 || failuresPerAddress < 1 || failuresPerUser < 1 || concurrentPasswordChecks < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
