package dev.orchestrator.discovery.dns;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.Endpoint;
import dev.orchestrator.api.spi.ServiceDiscovery;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code dns} service discovery: an authoritative server for the service zone over UDP and
 * TCP that forwards other names to upstream resolvers (see {@link Zone} for the names served).
 *
 * <p>Threading: thread-safe. {@link #update} and {@link #remove} build a new immutable table and
 * swap it in (compare-and-set); they never block and lookups never wait for them. Queries are
 * received by one UDP thread and one TCP accept thread; forwards and TCP connections run on
 * virtual threads. {@link #start} blocks until both sockets are bound and may be called once;
 * {@link #close} is idempotent and releases both sockets before it returns (it waits, at most
 * 2 s each, for the two loop threads to leave them).
 */
public final class DnsServer implements ServiceDiscovery {
    private static final int BIND_ATTEMPTS = 10;
    private static final Duration EXIT_WAIT = Duration.ofSeconds(2);
    private static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");

    private final DnsSettings settings;
    private final System.Logger log;
    private final AtomicReference<ServiceTable> table = new AtomicReference<>(ServiceTable.EMPTY);
    private final Object lifecycle = new Object();
    private ExecutorService workers;
    private DatagramSocket udp;
    private ServerSocket tcp;
    private Forwarder forwarder;
    private Thread udpThread;
    private Thread tcpThread;
    private boolean started;
    private boolean closed;

    DnsServer(DnsSettings settings, System.Logger log) {
        this.settings = settings;
        this.log = log;
    }

    /**
     * Binds UDP and TCP on the same port and starts serving. Blocks until bound.
     *
     * @throws OrchestratorException {@link ErrorCode#CONFLICT} if the port is in use,
     *         {@link ErrorCode#INVALID_ARGUMENT} if the address cannot be listened on,
     *         {@link ErrorCode#INTERNAL} if already started or closed
     */
    @Override
    public void start() {
        synchronized (lifecycle) {
            if (started || closed) {
                throw new OrchestratorException(ErrorCode.INTERNAL, "dns discovery already "
                        + (closed ? "closed" : "started"));
            }
            bind();
            started = true;
            InetSocketAddress self = new InetSocketAddress(settings.address(), udp.getLocalPort());
            forwarder = new Forwarder(Upstreams.withoutSelf(upstreams(), self), settings.timeout());
            Zone zone = new Zone(settings.zone(), settings.ttl(), nsAddress());
            Dispatcher dispatcher = new Dispatcher(zone, table::get);
            workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dns-worker-", 0).factory());
            udpThread = Thread.ofPlatform().daemon().name("dns-udp-" + port())
                    .start(new UdpLoop(udp, dispatcher, forwarder, workers, log));
            tcpThread = Thread.ofPlatform().daemon().name("dns-tcp-" + port())
                    .start(new TcpLoop(tcp, dispatcher, forwarder, workers, log));
            log.log(Level.INFO, "serving zone " + settings.zone() + " on " + settings.address().getHostAddress()
                    + ":" + port() + " (udp, tcp); forwarding to " + describe(forwarder.upstreams()));
        }
    }

    /**
     * Non-blocking; thread-safe.
     *
     * @return the port both sockets are bound to (useful with port 0); -1 after {@link #close}
     * @throws IllegalStateException before {@link #start}
     */
    public int port() {
        synchronized (lifecycle) {
            if (udp == null) {
                throw new IllegalStateException("not started");
            }
            return udp.getLocalPort();
        }
    }

    /**
     * Replaces a service's healthy replicas. Non-blocking, idempotent.
     *
     * @throws OrchestratorException {@link ErrorCode#INVALID_ARGUMENT} if a name is not a DNS
     *         label, a host not an IPv4 address or a port not in 1..65535; the table is then unchanged
     */
    @Override
    public void update(String service, List<Endpoint> endpoints) {
        ServiceEntry entry = ServiceEntry.of(service, endpoints, settings.zone());
        String key = entry.name().getLabelString(0);
        table.updateAndGet(t -> t.with(key, entry));
    }

    /**
     * Replaces a service's entry with a stable address: {@code <service>.<zone>} answers it, the
     * other names the replicas. Non-blocking, idempotent.
     *
     * @throws OrchestratorException {@link ErrorCode#INVALID_ARGUMENT} as {@link #update(String, List)}
     *         does, and for an address that is not IPv4; the table is then unchanged
     */
    @Override
    public void update(String service, String address, List<Endpoint> endpoints) {
        ServiceEntry entry = ServiceEntry.of(service, address, endpoints, settings.zone());
        String key = entry.name().getLabelString(0);
        table.updateAndGet(t -> t.with(key, entry));
    }

    /** Forgets a service: its names become NXDOMAIN. Non-blocking, idempotent. */
    @Override
    public void remove(String service) {
        String key = service == null ? "" : service.trim().toLowerCase(Locale.ROOT);
        table.updateAndGet(t -> t.without(key));
    }

    /** Stops serving and releases both sockets. Idempotent; also fine before {@link #start}. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            closeSockets();
            if (workers != null) {
                workers.shutdownNow();
            }
            // A socket closed while a thread is blocked on it is released when that thread leaves.
            awaitExit(udpThread);
            awaitExit(tcpThread);
            if (started) {
                log.log(Level.INFO, "stopped serving zone " + settings.zone());
            }
        }
    }

    private void awaitExit(Thread loop) {
        if (loop == null) {
            return;
        }
        try {
            if (!loop.join(EXIT_WAIT)) {
                log.log(Level.WARNING, loop.getName() + " did not stop within " + EXIT_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void bind() {
        int attempts = settings.port() == 0 ? BIND_ATTEMPTS : 1;
        for (int i = 1; ; i++) {
            try {
                bindOnce();
                return;
            } catch (IOException e) {
                closeSockets();
                if (i >= attempts || !(e instanceof BindException)) {
                    throw bindFailure(e);
                }
                // port 0: the free UDP port was taken for TCP; try another one
            }
        }
    }

    private void bindOnce() throws IOException {
        udp = new DatagramSocket(null);
        udp.bind(new InetSocketAddress(settings.address(), settings.port()));
        tcp = new ServerSocket();
        tcp.setReuseAddress(true);
        tcp.bind(new InetSocketAddress(settings.address(), udp.getLocalPort()), TcpLoop.MAX_CONNECTIONS);
    }

    private OrchestratorException bindFailure(IOException e) {
        String where = settings.address().getHostAddress() + ":" + settings.port();
        String reason = String.valueOf(e.getMessage());
        String lower = reason.toLowerCase(Locale.ROOT);
        if (lower.contains("assign requested address") || lower.contains("permission denied")) {
            return new OrchestratorException(ErrorCode.INVALID_ARGUMENT, "dns discovery cannot listen on "
                    + where + ": " + reason, e);
        }
        if (e instanceof BindException) {
            return new OrchestratorException(ErrorCode.CONFLICT, "dns discovery: port " + settings.port()
                    + " (udp or tcp) is already in use on " + settings.address().getHostAddress() + ": " + reason, e);
        }
        return new OrchestratorException(ErrorCode.INTERNAL, "dns discovery cannot listen on " + where + ": "
                + reason, e);
    }

    private void closeSockets() {
        if (udp != null) {
            udp.close();
        }
        if (tcp != null) {
            try {
                tcp.close();
            } catch (IOException e) {
                log.log(Level.DEBUG, "closing the tcp socket failed: " + e.getMessage());
            }
        }
    }

    private List<InetSocketAddress> upstreams() {
        return settings.upstreams().isEmpty() ? Upstreams.fromResolvConf(RESOLV_CONF) : settings.upstreams();
    }

    private Optional<InetAddress> nsAddress() {
        InetAddress a = settings.address();
        return a.isAnyLocalAddress() ? Optional.empty() : Optional.of(a);
    }

    private static String describe(List<InetSocketAddress> upstreams) {
        return upstreams.isEmpty() ? "nobody (outside names get SERVFAIL)" : upstreams.stream()
                .map(u -> u.getAddress().getHostAddress() + ":" + u.getPort()).toList().toString();
    }
}
