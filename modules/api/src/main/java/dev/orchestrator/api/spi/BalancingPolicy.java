package dev.orchestrator.api.spi;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Chooses which backend a new connection to a published port goes to. The load balancer (the
 * transport) owns the sockets; a policy only orders the candidates, so one transport serves
 * every policy and one policy works with any transport.
 *
 * <p>Threading: called concurrently, once per accepted connection, from the transport's accept
 * threads, for every port published with this policy. It must be thread-safe, must not block
 * and must do no I/O: a slow policy delays every new connection of the port. It should keep no
 * per-port state of its own; what it needs per port (the turn counter, the active connection
 * counts) comes from {@link Candidates}.
 *
 * <p>Idempotency: the order depends only on the arguments (and, for a random policy, on
 * chance); calling it has no effect beyond {@link Candidates#turn()}.
 */
public interface BalancingPolicy {
    /**
     * Orders the backends one new connection tries.
     *
     * @param candidates the port's backends now, never null, possibly empty
     * @param client     the address the connection comes from
     * @return backends of {@code candidates} in the order to try them: the first is the choice,
     *         the transport moves to the next when a connect fails, and tries a bounded number
     *         of them; each at most once. Empty if {@code candidates} is empty. Never null.
     *         Endpoints that are not candidates are ignored.
     */
    List<Endpoint> order(Candidates candidates, InetSocketAddress client);

    /**
     * The backends of one published port, as the transport sees them when a connection arrives.
     * Implemented by the transport; thread-safe and cheap (no locks, no allocation).
     */
    interface Candidates {
        /** @return the healthy backends in the order they were published; immutable */
        List<Endpoint> endpoints();

        /**
         * @param index a position in {@link #endpoints()}
         * @return the connections the transport is relaying to that backend right now, from
         *         this port; a moment old under concurrency
         * @throws IndexOutOfBoundsException for a bad index
         */
        int activeConnections(int index);

        /**
         * Takes a turn: successive calls on one port return 0, 1, 2, ..., across backend
         * changes, so a rotating policy rotates per port even when it serves many ports.
         *
         * @return this call's number, not negative
         */
        long turn();
    }
}
