package dev.orchestrator.server;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.ContainerRuntime;
import dev.orchestrator.api.spi.EventSink;
import dev.orchestrator.api.spi.LoadBalancer;
import dev.orchestrator.api.spi.LoadBalancerFactory;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.RuntimeDriverFactory;
import dev.orchestrator.api.spi.RuntimeInfo;
import dev.orchestrator.kernel.KernelContext;
import dev.orchestrator.kernel.PluginManager;
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
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running control plane: the store, the local node (runtime and load balancer plugins),
 * the reconciler and the REST API. {@link #close()} stops serving but leaves containers
 * running: a restarted server adopts them.
 */
public final class ControlPlane implements AutoCloseable {
    private static final String INGRESS_ADDRESS = "0.0.0.0";
    private static final String REPLICA_ADDRESS = "127.0.0.1";

    private final WebServer server;
    private final Reconciler reconciler;
    private final ContainerRuntime runtime;
    private final Store store;

    private final Probes probes;

    private ControlPlane(WebServer server, Reconciler reconciler, ContainerRuntime runtime, Store store,
                         Probes probes) {
        this.probes = probes;
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
        CompletableFuture<Connected> docker = CompletableFuture.supplyAsync(() -> connect(plugins, ctx),
                task -> Thread.ofVirtual().name("connect-runtime").start(task));
        Store store = Store.open(options.dataDir());
        try {
            eventLog.complete(new EventLog(store, clock));
            Admin.ensure(store, System.getenv("ORCHESTRATOR_ADMIN_PASSWORD"), out);
            String cluster = clusterId(store);
            Connected rt = join(docker);
            LoadBalancer lb = plugins.create(LoadBalancerFactory.class, null, PluginConfig.EMPTY, ctx);
            var node = new LocalNode(options.nodeName(), options.address(), rt.runtime(), lb, INGRESS_ADDRESS,
                    REPLICA_ADDRESS);
            store.putNode(new NodeRecord(node.name(), node.address(), Map.of(), rt.info().cpus(),
                    rt.info().memoryBytes(), "ready", rt.info().version(), clock.instant()));
            Probes probes = new Probes(plugins, ctx);
            var reconciler = new Reconciler(store, node, cluster, events, clock, Reconciler.Settings.DEFAULT,
                    probes::get);
            var apiPort = new AtomicInteger(options.port());
            WebServer server = WebServer.builder()
                    // Features are wired here in code; discovered ones (e.g. Helidon Security's
                    // config-driven feature) would only warn about their missing configuration.
                    .featuresDiscoverServices(false)
                    .host(options.bindAddress())
                    .port(options.port())
                    .routing(r -> routing(r, store, clock, new ApiService(store, reconciler, rt.runtime(),
                            node.name(), INGRESS_ADDRESS, apiPort::get, probes)))
                    .build()
                    .start();
            apiPort.set(server.port());
            reconciler.start();
            return new ControlPlane(server, reconciler, rt.runtime(), store, probes);
        } catch (RuntimeException e) {
            docker.thenAccept(c -> c.runtime().close());
            store.close();
            throw e;
        }
    }

    /** A runtime that answered, with what it said about its machine. */
    private record Connected(ContainerRuntime runtime, RuntimeInfo info) {
    }

    private static Connected connect(PluginManager plugins, KernelContext ctx) {
        ContainerRuntime runtime = plugins.create(RuntimeDriverFactory.class, null, PluginConfig.EMPTY, ctx);
        try {
            return new Connected(runtime, reach(runtime));
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
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

    private static void routing(HttpRouting.Builder routing, Store store, Clock clock, ApiService api) {
        Handler gate = Auth.install(routing, store, clock);
        routing.get("/health", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                    res.send("{\"status\":\"ok\"}");
                })
                .any("/api", gate)
                .any("/api/*", gate)
                .register("/api", api)
                .error(OrchestratorException.class, (req, res, e) -> ErrorResponses.send(res, e))
                .error(Exception.class, (req, res, e) -> ErrorResponses.unexpected(res, e));
    }

    private static RuntimeInfo reach(ContainerRuntime runtime) {
        try {
            return runtime.info();
        } catch (OrchestratorException e) {
            throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, "cannot reach the container runtime: "
                    + e.getMessage() + " (is dockerd running? see scripts/docker-up.sh)", e);
        }
    }

    private static String clusterId(Store store) {
        return store.setting("cluster_id").orElseGet(() -> {
            byte[] b = new byte[8];
            new SecureRandom().nextBytes(b);
            String id = HexFormat.of().formatHex(b);
            store.putSetting("cluster_id", id);
            return id;
        });
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
        reconciler.close();
        probes.close();
        runtime.close();
        store.close();
    }

    @Override
    public void close() {
        stop();
    }
}
