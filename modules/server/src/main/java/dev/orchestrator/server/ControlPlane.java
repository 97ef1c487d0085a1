package dev.orchestrator.server;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.EventSink;
import dev.orchestrator.cluster.Protocol;
import dev.orchestrator.app.Application;
import dev.orchestrator.app.DeploymentController;
import dev.orchestrator.app.EventRetention;
import dev.orchestrator.kernel.KernelContext;
import dev.orchestrator.kernel.PluginManager;
import dev.orchestrator.kernel.Probes;
import dev.orchestrator.node.Node;
import dev.orchestrator.node.NodeOptions;
import dev.orchestrator.orchestration.EventLog;
import dev.orchestrator.store.Store;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import java.io.PrintStream;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running control plane: the store, the cluster (the node gateway and the assigner), the
 * REST API, and, unless disabled, the server's own node: the same node runtime an agent runs,
 * linked to the gateway in process instead of over HTTP. {@link #close()} stops serving but
 * leaves containers running: a restarted server adopts them.
 */
public final class ControlPlane implements AutoCloseable {
    /** Where the server's own node keeps its data, under the server's data directory. */
    public static final String NODE_DIR = "node";
    /** The environment variable that sets user {@code admin}'s password. */
    public static final String ADMIN_PASSWORD_ENV = "ORCHESTRATOR_ADMIN_PASSWORD";
    /** The name of the listener nodes reach the server at over the cluster's TLS. */
    private static final String CLUSTER_SOCKET = "cluster";
    /** How often late headers and idle connections are looked for. */
    private static final java.time.Duration SWEEP = java.time.Duration.ofSeconds(1);

    private final WebServer server;
    private final Node node;
    private final Store store;
    private final Probes probes;
    private final Cluster cluster;
    private final ApiService api;
    /** How often the deployment controller looks at running rollouts. */
    private static final long ROLLOUT_TICK_MS = 100;
    private final java.util.concurrent.ScheduledExecutorService retention;
    private final HeaderDeadline headers;
    private final ServerMetrics metrics;
    private static final System.Logger LOG = System.getLogger(ControlPlane.class.getName());

    private ControlPlane(WebServer server, Node node, Store store, Probes probes, Cluster cluster, ApiService api,
                         java.util.concurrent.ScheduledExecutorService retention, HeaderDeadline headers,
                         ServerMetrics metrics) {
        this.metrics = metrics;
        this.api = api;
        this.retention = retention;
        this.headers = headers;
        this.server = server;
        this.node = node;
        this.store = store;
        this.probes = probes;
        this.cluster = cluster;
    }

    /**
     * Starts everything and returns once the API answers and the own node has joined.
     *
     * @param options how to run
     * @param plugins the discovered plugins
     * @param out     where the one-time generated admin password is printed
     * @return the running control plane
     * @throws OrchestratorException when the runtime is unreachable or a plugin is missing
     */
    public static ControlPlane start(ServerOptions options, PluginManager plugins, PrintStream out) {
        return start(options, plugins, out, System.getenv(ADMIN_PASSWORD_ENV));
    }

    /**
     * As {@link #start(ServerOptions, PluginManager, PrintStream)}, with the admin password given.
     *
     * @param options       how to run
     * @param plugins       the discovered plugins
     * @param out           where the one-time generated admin password is printed
     * @param adminPassword the password user {@code admin} gets (and the admin role), or null to
     *                      keep the users as they are (generating one on the very first start)
     * @return the running control plane
     */
    public static ControlPlane start(ServerOptions options, PluginManager plugins, PrintStream out,
                                     String adminPassword) {
        return start(options, plugins, out, adminPassword, Limits.DEFAULT);
    }

    static ControlPlane start(ServerOptions options, PluginManager plugins, PrintStream out, Limits limits) {
        return start(options, plugins, out, System.getenv(ADMIN_PASSWORD_ENV), limits);
    }

    static ControlPlane start(ServerOptions options, PluginManager plugins, PrintStream out, String adminPassword,
                              Limits limits) {
        Clock clock = Clock.systemUTC();
        // The own node connects its runtime and opens its store (about 0.2 s each) while the
        // server opens its own.
        CompletableFuture<Node> local = options.localNode()
                ? CompletableFuture.supplyAsync(() -> Node.create(nodeOptions(options), plugins),
                        task -> Thread.ofVirtual().name("create-node").start(task))
                : CompletableFuture.completedFuture(null);
        // The cluster CA's files and this start's certificate (a new key) beside the store's opening.
        CompletableFuture<ClusterTls> nodesTls = options.clusterPort() == ServerOptions.CLUSTER_TLS_OFF
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.supplyAsync(() -> ClusterTls.open(options.dataDir(), options.address(),
                        clock.instant()), task -> Thread.ofVirtual().name("cluster-tls").start(task));
        Store store = Store.open(options.dataDir());
        Cluster cluster = null;
        HeaderDeadline headers = null;
        ServerMetrics metrics = null;
        CompletableFuture<Void> admin = CompletableFuture.completedFuture(null);
        try {
            EventSink events = new EventLog(store, clock);
            var ctx = new KernelContext(clock, events);
            // A password check is a 0.2 s derivation: it runs beside the rest of the start-up and
            // is awaited before the API listens.
            Store users = store;
            admin = CompletableFuture.runAsync(() -> Admin.ensure(users, adminPassword, out),
                    task -> Thread.ofVirtual().name("admin-user").start(task));
            String clusterId = store.randomId("cluster_id");
            cluster = new Cluster(store, plugins, ctx, options, clusterId);
            Probes probes = new Probes(plugins, ctx);
            var apiPort = new AtomicInteger(options.port());
            ClusterTls clusterTls = join(nodesTls);
            Application app = Application.create(store, new ClusterBridge(cluster, probes,
                    options.ingressAddress(), apiPort::get, options.localNode() ? options.nodeName() : null,
                    clusterTls == null ? null : clusterTls.pin()), clock);
            var api = new ApiService(app, limits.apiBody(), cluster.gateway().observations());
            metrics = new ServerMetrics(app.queries(), cluster.gateway().observations());
            ServerMetrics meters = metrics;
            var refusals = new Refusals(events, clock);
            var clusterPort = new AtomicInteger(options.clusterPort());
            String caPem = clusterTls == null ? null : clusterTls.ca().certificatePem();
            var nodeRoutes = new AgentRoutes(store, cluster.gateway(), cluster.links(), refusals, limits.agentBody(),
                    clock, new AgentRoutes.Listener(true, clusterTls == null ? null : clusterPort::get, caPem));
            var agents = clusterTls == null ? nodeRoutes : new AgentRoutes(store, cluster.gateway(), cluster.links(),
                    refusals, limits.agentBody(), clock, new AgentRoutes.Listener(false, clusterPort::get, caPem));
            headers = new HeaderDeadline(limits.headerDeadline(), SWEEP);
            HeaderDeadline slow = headers;
            join(admin);
            var web = WebServer.builder();
            if (options.tls() != null) {
                web.tls(ServerTls.of(options.tls()));
            }
            if (clusterTls != null) {
                web.putSocket(CLUSTER_SOCKET, socket -> limited(socket, limits, slow).host(options.bindAddress())
                        .port(options.clusterPort())
                        .tls(clusterTls.tls())
                        .routing(r -> r.register("/agent", nodeRoutes)
                                .error(OrchestratorException.class, (req, res, e) -> ErrorResponses.send(res, e))
                                .error(Exception.class, (req, res, e) -> ErrorResponses.unexpected(res, e))));
            }
            WebServer server = limited(web, limits, slow)
                    // Features are wired here in code; discovered ones (e.g. Helidon Security's
                    // config-driven feature) would only warn about their missing configuration.
                    .featuresDiscoverServices(false)
                    .host(options.bindAddress())
                    .port(options.port())
                    .directHandlers(d -> JsonDirectHandler.register(d, limits))
                    .routing(r -> routing(r.addFilter(meters.requests()), store, clock, api, agents, limits))
                    // GET /metrics (Prometheus text), behind the API's basic auth (routing()).
                    .addFeature(ObserveFeature.builder().endpoint("/").observersDiscoverServices(false)
                            .addObserver(MetricsObserver.create()).build())
                    .build()
                    .start();
            if (!server.isRunning() || server.port() < 0) {
                // Helidon logs the bind failure and returns a server that is not listening.
                server.stop();
                throw new OrchestratorException(ErrorCode.CONFLICT, "cannot listen on " + options.bindAddress() + ":"
                        + options.port() + ": the address is in use or not this machine's");
            }
            if (clusterTls != null && server.port(CLUSTER_SOCKET) < 0) {
                server.stop();
                throw new OrchestratorException(ErrorCode.CONFLICT, "cannot listen for nodes on "
                        + options.bindAddress() + ":" + options.clusterPort()
                        + ": the address is in use or not this machine's (--cluster-port)");
            }
            apiPort.set(server.port());
            clusterPort.set(clusterTls == null ? ServerOptions.CLUSTER_TLS_OFF : server.port(CLUSTER_SOCKET));
            cluster.start();
            Node node = join(local);
            if (node != null) {
                cluster.links().register(node.name(), node.link());
                node.start(cluster.gateway(), null);
            }
            var housekeeping = housekeeping(store, clock, options.events(), app.rollouts());
            return new ControlPlane(server, node, store, probes, cluster, api, housekeeping, headers, meters);
        } catch (RuntimeException e) {
            if (headers != null) {
                headers.close();
            }
            if (metrics != null) {
                metrics.close();
            }
            if (cluster != null) {
                cluster.close();
            }
            // Not closed under the admin user's check.
            admin.exceptionally(x -> null).join();
            nodesTls.exceptionally(x -> null).join();
            local.thenAccept(n -> {
                if (n != null) {
                    n.close();
                }
            });
            store.close();
            throw e;
        }
    }

    /**
     * Deletes events beyond the retention now and every minute, and ticks the deployment
     * controller every {@value #ROLLOUT_TICK_MS} ms, on threads of their own (a large first prune
     * must hold up neither the cluster's timer nor a rollout).
     */
    private static java.util.concurrent.ScheduledExecutorService housekeeping(Store store, Clock clock,
                                                                              EventRetention bounds,
                                                                              DeploymentController rollouts) {
        var timer = java.util.concurrent.Executors.newScheduledThreadPool(2,
                Thread.ofPlatform().daemon().name("housekeeping-", 0).factory());
        timer.scheduleWithFixedDelay(() -> {
            try {
                rollouts.tick();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "deployment controller: " + e.getMessage());
            }
        }, ROLLOUT_TICK_MS, ROLLOUT_TICK_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(() -> {
            try {
                int deleted = bounds.enforce(store, clock);
                if (deleted > 0) {
                    LOG.log(System.Logger.Level.DEBUG, "event retention deleted " + deleted + " events");
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "event retention failed, retried in a minute: " + e.getMessage());
            }
        }, 0, 60, java.util.concurrent.TimeUnit.SECONDS);
        return timer;
    }

    /**
     * The limits every listener has, the API's and the nodes': no body larger than the largest
     * route's is ever read (a declared length over it is answered 413 before routing, a chunked
     * one is cut there); idle connections, and bodies that stall between two reads, are cut;
     * connections are capped; late headers are cut by {@code slow}.
     */
    private static <B extends io.helidon.webserver.ListenerConfig.BuilderBase<B, ?>> B limited(B listener,
                                                                                           Limits limits,
                                                                                           HeaderDeadline slow) {
        return listener.maxPayloadSize(limits.agentBody())
                .idleConnectionTimeout(limits.idleTimeout())
                .idleConnectionPeriod(SWEEP)
                .maxTcpConnections(limits.maxConnections())
                .connectionOptions(o -> o.readTimeout(limits.idleTimeout()))
                .addProtocol(Http1Config.builder().addReceiveListener(slow).build());
    }

    /** The own node: an agent's options, from the server's. */
    private static NodeOptions nodeOptions(ServerOptions o) {
        return new NodeOptions(o.nodeName(), o.address(), o.ingressAddress(), o.dataDir().resolve(NODE_DIR), o.cpus(),
                o.memoryBytes(), o.labels(), Protocol.HEARTBEAT_INTERVAL, o.runtime(), o.loadBalancer(), o.logs());
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    private static void routing(HttpRouting.Builder routing, Store store, Clock clock, ApiService api,
                                AgentRoutes agents, Limits limits) {
        Handler gate = Auth.install(routing, store, clock, limits);
        routing.get("/health", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                    res.send("{\"status\":\"ok\"}");
                })
                // Agents authenticate with a join token, not a user's password: their own gate.
                .register("/agent", agents)
                .any("/api", gate)
                .any("/api/*", gate)
                .any("/metrics", gate)
                .any("/metrics/*", gate)
                .any("/ui", gate)
                .any("/ui/*", gate)
                .register("/api", api)
                .register("/ui", new UiService())
                .error(OrchestratorException.class, (req, res, e) -> ErrorResponses.send(res, e))
                .error(Exception.class, (req, res, e) -> ErrorResponses.unexpected(res, e));
    }

    /** @return the port the API listens on */
    public int port() {
        return server.port();
    }

    /**
     * @return the port nodes reach the server at over the cluster's TLS, or
     *         {@link ServerOptions#CLUSTER_TLS_OFF} if they use the API's port
     */
    public int clusterPort() {
        int p = server.port(CLUSTER_SOCKET); // -1 for a listener not configured
        return p < 0 ? ServerOptions.CLUSTER_TLS_OFF : p;
    }

    /** Stops serving and reconciling; containers keep running. Idempotent. */
    public void stop() {
        retention.shutdownNow();
        metrics.close();
        api.stopFollowers();
        if (server.isRunning()) {
            server.stop();
        }
        headers.close();
        if (node != null) {
            node.close();
        }
        cluster.close();
        probes.close();
        store.close();
    }

    @Override
    public void close() {
        stop();
    }
}
