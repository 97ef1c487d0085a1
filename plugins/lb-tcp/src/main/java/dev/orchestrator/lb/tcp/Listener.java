package dev.orchestrator.lb.tcp;

import dev.orchestrator.api.spi.BalancingPolicy;
import dev.orchestrator.api.spi.Endpoint;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One published port: its listening socket, the accept loop (a virtual thread), the backends
 * new connections go to and the policy that orders them. Each accepted connection is dialled
 * on its own virtual thread (connects block), then relayed by one of the balancer's event loops.
 */
final class Listener implements AutoCloseable {
    // Bursts of new connections wait in the kernel while the accept loop hands them off.
    private static final int BACKLOG = 256;
    private static final long ACCEPT_RETRY_MILLIS = 50;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final String service;
    private final InetSocketAddress address;
    private final ServerSocketChannel server;
    private final AtomicLong turns = new AtomicLong();
    private volatile Route route; // swapped whole by publish, read by the accept loop
    private final Settings settings;
    private final Connections connections;
    private final EventLoops loops;
    private final System.Logger log;
    private final AtomicInteger active = new AtomicInteger();
    private final LongAdder total = new LongAdder();
    private final LongAdder unrouted = new LongAdder();
    private final Traffic traffic = new Traffic();
    private Thread acceptor; // set once by open, before the listener is shared

    /** What new connections go to: one reference, so backends and policy change together. */
    private record Route(Backends backends, BalancingPolicy policy) {
    }

    private Listener(String service, InetSocketAddress address, ServerSocketChannel server, List<Endpoint> backends,
                     BalancingPolicy policy, Settings settings, Connections connections, EventLoops loops,
                     System.Logger log) {
        this.loops = loops;
        this.service = service;
        this.address = address;
        this.server = server;
        this.route = new Route(Backends.of(backends, turns), policy);
        this.settings = settings;
        this.connections = connections;
        this.log = log;
    }

    /**
     * Binds {@code address} and starts accepting.
     *
     * @throws IOException if the address cannot be bound
     */
    static Listener open(String service, InetSocketAddress address, List<Endpoint> backends, BalancingPolicy policy,
                         Settings settings, Connections connections, EventLoops loops, System.Logger log)
            throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            // Lets the port be bound again at once after an unpublish, even while connections
            // that used it linger in TIME_WAIT. It does not allow two live listeners.
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(address, BACKLOG);
        } catch (IOException e) {
            Sockets.closeQuietly(server);
            throw e;
        }
        Listener listener = new Listener(service, address, server, backends, policy, settings, connections, loops,
                log);
        listener.acceptor = Thread.ofVirtual().name("lb-tcp-accept-" + address.getPort()).start(listener::acceptLoop);
        return listener;
    }

    String service() {
        return service;
    }

    InetSocketAddress address() {
        return address;
    }

    /**
     * Routes new connections to {@code backends} in {@code policy}'s order; connections in
     * flight keep theirs. Callers serialize calls (the balancer's lock).
     */
    void route(List<Endpoint> backends, BalancingPolicy policy) {
        route = new Route(route.backends().replace(backends), policy);
    }

    /**
     * Stops accepting and returns once the port is released; connections in flight go on until
     * they end or the balancer closes.
     */
    @Override
    public void close() {
        Sockets.closeQuietly(server);
        // Closing a server socket whose accept is parked on a virtual thread only wakes that
        // thread; the descriptor is released when the thread leaves accept. Waiting for it
        // means that after unpublish the port refuses connections and can be bound again.
        try {
            if (!acceptor.join(CLOSE_WAIT)) {
                log.log(Level.WARNING, "port " + address.getPort() + "/tcp of " + service
                        + " still not released after " + CLOSE_WAIT.toSeconds() + "s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    dev.orchestrator.api.spi.PortTraffic traffic() {
        return new dev.orchestrator.api.spi.PortTraffic(service, "tcp", address.getPort(), total.sum(), active.get(),
                traffic.received.sum(), traffic.sent.sum());
    }

    PortStats stats() {
        Map<Endpoint, Long> failed = new LinkedHashMap<>();
        route.backends().all().forEach(b -> failed.put(b.endpoint(), b.failedConnects()));
        return new PortStats(service, "tcp", address.getPort(), active.get(), total.sum(), unrouted.sum(), failed);
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                total.increment();
                // The policy runs here, in accept order, not when the connection's thread runs:
                // a rotation then follows the order connections arrived in.
                List<Backend> order = order(client);
                Thread.ofVirtual().name("lb-tcp-conn-" + address.getPort()).start(() -> serve(client, order));
            } catch (IOException e) {
                acceptFailed(e);
            }
        }
    }

    private List<Backend> order(SocketChannel client) {
        Route r = route;
        if (r.backends().endpoints().isEmpty()) {
            return List.of();
        }
        var from = (InetSocketAddress) client.socket().getRemoteSocketAddress();
        try {
            return r.backends().resolve(r.policy().order(r.backends(), from), settings.maxAttempts());
        } catch (RuntimeException e) {
            // A policy bug must not stop the accept loop: this connection goes unrouted.
            log.log(Level.WARNING, "balancing policy of " + service + " failed: " + e, e);
            return List.of();
        }
    }

    private void acceptFailed(IOException e) {
        if (!server.isOpen()) {
            return;
        }
        // E.g. out of file descriptors: pause rather than spin, and keep the port open.
        log.log(Level.WARNING, "load balancer for " + service + " on port " + address.getPort()
                + "/tcp cannot accept a connection: " + e);
        try {
            Thread.sleep(ACCEPT_RETRY_MILLIS);
        } catch (InterruptedException ie) {
            // Only our own shutdown would interrupt this thread: stop accepting (not close(),
            // which waits for this very thread).
            Thread.currentThread().interrupt();
            Sockets.closeQuietly(server);
        }
    }

    private void serve(SocketChannel client, List<Backend> order) {
        Connection connection = new Connection(client);
        if (!connections.add(connection)) {
            return;
        }
        try {
            Backend backend = dial(connection, order);
            if (backend != null) {
                relay(connection, backend);
            } else {
                // No backend, or none reachable: closing gives the client a plain end of stream.
                unrouted.increment();
            }
        } finally {
            connection.close();
            connections.remove(connection);
        }
    }

    /**
     * Tries the backends in the policy's order until one accepts.
     *
     * @return the backend connected to, counted as active; null if none accepted
     */
    private Backend dial(Connection connection, List<Backend> order) {
        for (Backend backend : order) {
            SocketChannel socket;
            try {
                socket = SocketChannel.open();
            } catch (IOException e) {
                log.log(Level.WARNING, "load balancer for " + service + " cannot open a socket: " + e);
                return null;
            }
            if (!connection.attach(socket)) {
                return null;
            }
            backend.opened();
            try {
                // The socket adaptor's connect takes a timeout; the channel's own does not.
                socket.socket().connect(backend.address(), settings.connectMillis());
                return backend;
            } catch (IOException e) {
                backend.closed();
                Sockets.closeQuietly(socket);
                if (connection.isClosed()) {
                    return null;
                }
                backend.connectFailed();
                log.log(Level.DEBUG, () -> "load balancer for " + service + " cannot reach " + backend + ": " + e);
            }
        }
        return null;
    }

    private void relay(Connection connection, Backend backend) {
        active.incrementAndGet();
        try {
            connection.relay(settings.idleMillis(), loops.next(), traffic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            active.decrementAndGet();
            backend.closed();
        }
    }
}
