package dev.orchestrator.lb.tcp;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Validation;
import dev.orchestrator.api.spi.BalancingPolicy;
import dev.orchestrator.api.spi.Endpoint;
import dev.orchestrator.api.spi.LoadBalancer;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code tcp} load balancer: a TCP forwarder for published ports, the node's part of a
 * routing mesh. It is the transport only; which backend a connection goes to is the
 * {@link BalancingPolicy}'s choice.
 *
 * <p>Each published port has one listening socket. Each new connection goes to the first
 * backend in the policy's order; if that backend refuses or does not answer within the connect
 * timeout, the next one is tried, each at most once and at most {@code max-attempts} in all,
 * and if none accepts, the client's connection is closed. Each backend's active connections
 * are counted, for policies such as least-connections. Bytes
 * are then relayed both ways, half-close included, until both directions end. A port published
 * with no backends accepts connections and closes them at once: the client reads end of stream
 * rather than getting "connection refused", because the port stays bound for when replicas come.
 *
 * <p>Only {@code tcp} is balanced; {@code udp} is refused with
 * {@link ErrorCode#INVALID_ARGUMENT}. Thread-safe: {@link #publish}, {@link #unpublish} and
 * {@link #close} are serialized and never wait for connections: those are dialled on virtual
 * threads and relayed by a few selector threads ({@code event-loops}). Payloads are never logged.
 */
public final class TcpLoadBalancer implements LoadBalancer {
    private static final String TCP = "tcp";

    private final Settings settings;
    private final System.Logger log;
    private final Connections connections = new Connections();
    private final EventLoops loops;
    private final Object lock = new Object();
    private final Map<Integer, Listener> listeners = new HashMap<>(); // guarded by lock
    private boolean closed; // guarded by lock

    TcpLoadBalancer(Settings settings, System.Logger log) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.log = Objects.requireNonNull(log, "log");
        this.loops = new EventLoops(settings.eventLoops(), log);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A blank {@code bindAddress} means every address of the node.
     *
     * @throws OrchestratorException {@link ErrorCode#INVALID_ARGUMENT} for {@code udp}, a bad
     *         port, bind address or backend; {@link ErrorCode#CONFLICT} if the port is in use on
     *         this node, or published here for another service or on another address
     * @throws IllegalStateException if this balancer is closed
     */
    @Override
    public void publish(String service, String protocol, String bindAddress, int port, List<Endpoint> backends,
                        BalancingPolicy policy) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(policy, "policy");
        requireTcp(protocol);
        Validation.port("port", port);
        List<Endpoint> endpoints = checkBackends(backends);
        InetSocketAddress address = bindAddress(bindAddress, port);
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("load balancer is closed");
            }
            Listener listener = listeners.get(port);
            if (listener == null) {
                listeners.put(port, bind(service, address, endpoints, policy));
            } else {
                requireSameOwner(listener, service, address);
                listener.route(endpoints, policy);
            }
        }
    }

    /** {@inheritDoc} Connections in flight go on until they end. Does nothing for {@code udp}. */
    @Override
    public void unpublish(String protocol, int port) {
        Listener listener;
        synchronized (lock) {
            listener = TCP.equalsIgnoreCase(protocol) ? listeners.remove(port) : null;
        }
        if (listener != null) {
            listener.close();
            log.log(Level.INFO, "unpublished port " + port + "/tcp of " + listener.service());
        }
    }

    /** Unbinds every port and closes every connection, including draining ones. Idempotent. */
    @Override
    public void close() {
        List<Listener> all;
        synchronized (lock) {
            closed = true;
            all = List.copyOf(listeners.values());
            listeners.clear();
        }
        all.forEach(Listener::close);
        connections.closeAll();
        loops.close();
    }

    /** {@inheritDoc} Bytes are counted as they are read, from clients and from backends. */
    @Override
    public List<dev.orchestrator.api.spi.PortTraffic> traffic() {
        synchronized (lock) {
            return listeners.values().stream()
                    .map(Listener::traffic)
                    .sorted(Comparator.comparingInt(dev.orchestrator.api.spi.PortTraffic::port))
                    .toList();
        }
    }

    /**
     * Counters for metrics. Public for the module's own use: the package is not exported.
     *
     * @return one snapshot per published port, by port
     */
    public List<PortStats> stats() {
        synchronized (lock) {
            return listeners.values().stream()
                    .map(Listener::stats)
                    .sorted(Comparator.comparingInt(PortStats::port))
                    .toList();
        }
    }

    private Listener bind(String service, InetSocketAddress address, List<Endpoint> endpoints,
                          BalancingPolicy policy) {
        try {
            Listener listener = Listener.open(service, address, endpoints, policy, settings, connections, loops,
                    log);
            log.log(Level.INFO, "published port " + address.getPort() + "/tcp of " + service + " on "
                    + address.getAddress().getHostAddress() + " with " + endpoints.size() + " backend(s)");
            return listener;
        } catch (IOException e) {
            throw bindFailure(address, e);
        }
    }

    private static OrchestratorException bindFailure(InetSocketAddress address, IOException e) {
        int port = address.getPort();
        String reason = String.valueOf(e.getMessage());
        // The JDK reports EADDRINUSE, EADDRNOTAVAIL and EACCES all as BindException, told apart
        // by the (strerror) message only. "In use" is by far the likeliest, so it is the default.
        String lower = reason.toLowerCase(Locale.ROOT);
        if (lower.contains("assign requested address") || lower.contains("permission denied")) {
            return new OrchestratorException(ErrorCode.INVALID_ARGUMENT, "cannot listen on "
                    + address.getAddress().getHostAddress() + ":" + port + "/tcp on this node: " + reason, e);
        }
        if (e instanceof BindException) {
            return new OrchestratorException(ErrorCode.CONFLICT,
                    "port " + port + "/tcp is already in use on this node: " + reason, e);
        }
        return new OrchestratorException(ErrorCode.INTERNAL, "cannot listen on port " + port + "/tcp: " + reason, e);
    }

    private static void requireSameOwner(Listener listener, String service, InetSocketAddress address) {
        int port = address.getPort();
        if (!listener.service().equals(service)) {
            throw new OrchestratorException(ErrorCode.CONFLICT, "port " + port + "/tcp is already published on this"
                    + " node by service " + listener.service() + ", cannot publish it for " + service);
        }
        if (!listener.address().equals(address)) {
            throw new OrchestratorException(ErrorCode.CONFLICT, "port " + port + "/tcp of " + service
                    + " is bound to " + listener.address().getAddress().getHostAddress() + ", not "
                    + address.getAddress().getHostAddress() + ": unpublish it first to move it");
        }
    }

    private static void requireTcp(String protocol) {
        if (!TCP.equalsIgnoreCase(protocol)) {
            throw OrchestratorException.invalid("the " + TcpFactory.NAME + " load balancer balances tcp only, got "
                    + protocol);
        }
    }

    private static List<Endpoint> checkBackends(List<Endpoint> backends) {
        List<Endpoint> copy = List.copyOf(Objects.requireNonNull(backends, "backends"));
        for (Endpoint e : copy) {
            if (e.host() == null || e.host().isBlank()) {
                throw OrchestratorException.invalid("backend " + e.replica() + " has no host");
            }
            Validation.port("backend " + e.replica() + " port", e.port());
        }
        return copy;
    }

    private static InetSocketAddress bindAddress(String bindAddress, int port) {
        if (bindAddress == null || bindAddress.isBlank()) {
            return new InetSocketAddress(port);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(bindAddress.trim()), port);
        } catch (UnknownHostException e) {
            throw OrchestratorException.invalid("bind address must be an address of this node, got '"
                    + bindAddress + "'");
        }
    }
}
