package dev.orchestrator.server;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.ContainerRuntime;
import dev.orchestrator.api.spi.EventSink;
import dev.orchestrator.api.spi.LoadBalancer;
import dev.orchestrator.api.spi.LoadBalancerFactory;
import dev.orchestrator.kernel.KernelContext;
import dev.orchestrator.kernel.PluginManager;
import dev.orchestrator.kernel.Probes;
import dev.orchestrator.kernel.Runtimes;
import dev.orchestrator.orchestration.EventLog;
import dev.orchestrator.orchestration.LocalNode;
import dev.orchestrator.orchestration.Reconciler;
import dev.orchestrator.store.NodeRecord;
import dev.orchestrator.store.Store;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import java.io.PrintStream;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running control plane: the store, the cluster (agents' membership and the assigner), the
 * embedded local node (runtime and load balancer plugins, its reconciler) unless disabled, and
 * the REST API. {@link #close()} stops serving but leaves containers
 * running: a restarted server adopts them.
 */
public final class ControlPlane implements AutoCloseable {
    private final WebServer server;
    private final Reconciler reconciler;
    private final ContainerRuntime runtime;
    private final Store store;

    private final Probes probes;
    private final Cluster cluster;

    private ControlPlane(WebServer server, Reconciler reconciler, ContainerRuntime runtime, Store store,
                         Probes probes, Cluster cluster) {
        this.probes = probes;
        this.cluster = cluster;
        this.server = server;
        this.reconciler = reconciler;
        this.runtime = runtime;
        this.store = store;
    }

    /**
     * Starts everything and returns once the API answers and the reconciler runs.
     *
     * @param options how to run
     * @param plugins the discovered plugins
     * @param out     where the one-time generated admin password is printed
     * @return the running control plane
     * @throws OrchestratorException when the runtime is unreachable or a plugin is missing
     */
    public static ControlPlane start(ServerOptions options, PluginManager plugins, PrintStream out) {
        Clock clock = Clock.systemUTC();
        var eventLog = new CompletableFuture<EventLog>();
        // Events raised before the store is open wait for it (none are expected that early).
        EventSink events = (type, service, container, message) -> eventLog.join().emit(type, service, container,
                message);
        var ctx = new KernelContext(clock, events);
        // Docker and the store are independent and each takes about 0.2 s to open: both at once.
        CompletableFuture<Runtimes.Connected> docker = options.localNode()
                ? CompletableFuture.supplyAsync(() -> Runtimes.connect(plugins, options.runtime(), ctx),
                        task -> Thread.ofVirtual().name("connect-runtime").start(task))
                : CompletableFuture.completedFuture(null);
        Store store = Store.open(options.dataDir());
        Cluster cluster = null;
        try {
            eventLog.complete(new EventLog(store, clock));
            Admin.ensure(store, System.getenv("ORCHESTRATOR_ADMIN_PASSWORD"), out);
            String clusterId = store.randomId("cluster_id");
            cluster = new Cluster(store, plugins, ctx, options, clusterId);
            Probes probes = new Probes(plugins, ctx);
            Runtimes.Connected rt = join(docker);
            Reconciler reconciler = rt == null ? null : localNode(options, plugins, ctx, store, clusterId, cluster, rt,
                    probes);
            var apiPort = new AtomicInteger(options.port());
            var api = new ApiService(store, cluster, options.ingressAddress(), apiPort::get, probes);
            var agents = new AgentRoutes(store, cluster.membership());
            WebServer server = WebServer.builder()
                    // Features are wired here in code; discovered ones (e.g. Helidon Security's
                    // config-driven feature) would only warn about their missing configuration.
                    .featuresDiscoverServices(false)
                    .host(options.bindAddress())
                    .port(options.port())
                    .routing(r -> routing(r, store, clock, api, agents))
                    .build()
                    .start();
            apiPort.set(server.port());
            cluster.start();
            if (reconciler != null) {
                reconciler.start();
            }
            return new ControlPlane(server, reconciler, rt == null ? null : rt.runtime(), store, probes, cluster);
        } catch (RuntimeException e) {
            if (cluster != null) {
                cluster.close();
            }
            docker.thenAccept(c -> {
                if (c != null) {
                    c.runtime().close();
                }
            });
            store.close();
            throw e;
        }
    }

    /** Registers the embedded node and makes its reconciler (not started yet). */
    private static Reconciler localNode(ServerOptions options, PluginManager plugins, KernelContext ctx, Store store,
                                        String clusterId, Cluster cluster, Runtimes.Connected rt, Probes probes) {
        LoadBalancer lb = plugins.create(LoadBalancerFactory.class, options.loadBalancer(), ctx);
        var node = new LocalNode(options.nodeName(), options.address(), rt.runtime(), lb, options.ingressAddress(),
                options.address());
        String availability = store.node(node.name()).map(NodeRecord::availability).orElse("active");
        store.putNode(new NodeRecord(node.name(), node.address(), options.labels(),
                options.cpus() > 0 ? options.cpus() : rt.info().cpus(),
                options.memoryBytes() > 0 ? options.memoryBytes() : rt.info().memoryBytes(), "ready", availability,
                rt.info().version(), ctx.clock().instant()));
        var reconciler = new Reconciler(store, node, clusterId, ctx.events(), ctx.clock(), Reconciler.Settings.DEFAULT,
                probes::get, cluster.membership().remoteFor(node.name()));
        cluster.attach(reconciler, rt.runtime());
        return reconciler;
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
                                AgentRoutes agents) {
        Handler gate = Auth.install(routing, store, clock);
        routing.get("/health", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                    res.send("{\"status\":\"ok\"}");
                })
                // Agents authenticate with a join token, not a user's password: their own gate.
                .register("/agent", agents)
                .any("/api", gate)
                .any("/api/*", gate)
                .register("/api", api)
                .error(OrchestratorException.class, (req, res, e) -> ErrorResponses.send(res, e))
                .error(Exception.class, (req, res, e) -> ErrorResponses.unexpected(res, e));
    }

    /** @return the port the API listens on */
    public int port() {
        return server.port();
    }

    /** Stops serving and reconciling; containers keep running. Idempotent. */
    public void stop() {
        if (server.isRunning()) {
            server.stop();
        }
        cluster.close();
        if (reconciler != null) {
            reconciler.close();
        }
        probes.close();
        if (runtime != null) {
            runtime.close();
        }
        store.close();
    }

    @Override
    public void close() {
        stop();
    }
}
