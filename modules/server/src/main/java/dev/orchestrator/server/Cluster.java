package dev.orchestrator.server;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.ContainerRuntime;
import dev.orchestrator.api.spi.LogLine;
import dev.orchestrator.api.spi.PluginContext;
import dev.orchestrator.api.spi.PluginKind;
import dev.orchestrator.api.spi.SchedulerStrategyFactory;
import dev.orchestrator.cluster.Assigner;
import dev.orchestrator.cluster.Membership;
import dev.orchestrator.cluster.Protocol;
import dev.orchestrator.kernel.PluginManager;
import dev.orchestrator.orchestration.Reconciler;
import dev.orchestrator.scheduler.Scheduler;
import dev.orchestrator.store.NodeRecord;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.Store;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server's side of several nodes: membership (heartbeats, failure detection), the assigner
 * (placement), the embedded node's reconciler if there is one, and reading logs wherever a
 * replica runs. A timer runs failure detection and an assigner pass every half second, so
 * pending replicas are placed as soon as capacity appears and moves off draining nodes finish.
 */
final class Cluster implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Cluster.class.getName());
    private static final long TICK_MILLIS = 500;

    private final Store store;
    private final PluginManager plugins;
    private final PluginContext context;
    private final Map<String, Scheduler> schedulers = new ConcurrentHashMap<>();
    private final Membership membership;
    private final Assigner assigner;
    private final String localNode;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cluster-timer");
        t.setDaemon(true);
        return t;
    });
    private volatile Reconciler reconciler;
    private volatile ContainerRuntime runtime;

    Cluster(Store store, PluginManager plugins, PluginContext context, ServerOptions options, String clusterId) {
        this.store = store;
        this.plugins = plugins;
        this.context = context;
        this.localNode = options.localNode() ? options.nodeName() : null;
        this.membership = new Membership(store, context.events(), context.clock(), options.nodeTimeout(), clusterId,
                localNode, this::reassign);
        this.assigner = new Assigner(store, this::scheduler, options.scheduler(), context.events(),
                context.clock(), options.cpuOvercommit());
        requireStrategy(options.scheduler());
    }

    /**
     * Attaches the embedded node.
     *
     * @param node    its reconciler
     * @param runtime its runtime
     */
    void attach(Reconciler node, ContainerRuntime runtime) {
        this.reconciler = node;
        this.runtime = runtime;
        membership.localBackends(node::localBackends);
    }

    /** Places what needs placing, then starts the timer. */
    void start() {
        reassign();
        timer.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            membership.check();
            reassign();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cluster pass failed: " + e.getMessage());
        }
    }

    /** One assigner pass; the embedded node acts on its changes at once. */
    void reassign() {
        Set<String> changed = assigner.assign();
        Reconciler r = reconciler;
        if (r != null && changed.contains(localNode)) {
            r.resyncAll();
        }
    }

    /**
     * The desired state of a service changed (deploy, scale, delete): place, then converge.
     *
     * @param service the service
     */
    void changed(String service) {
        assigner.assign();
        Reconciler r = reconciler;
        if (r != null) {
            r.trigger(service);
        }
    }

    /** @return the membership, for the heartbeat route */
    Membership membership() {
        return membership;
    }

    /** @return the embedded node's name, or null without one */
    String localNode() {
        return localNode;
    }

    /** @return the embedded node's runtime, or null without one */
    ContainerRuntime runtime() {
        return runtime;
    }

    /**
     * Whether an image can run here: checked on the embedded node while it is the only node;
     * with agents, each node reports a missing image as a failed start instead.
     *
     * @param image an image reference
     * @return false only if it is surely missing
     */
    boolean imagePresent(String image) {
        ContainerRuntime rt = runtime;
        boolean alone = store.nodes().stream().allMatch(n -> n.name().equals(localNode));
        return rt == null || !alone || rt.imagePresent(image);
    }

    /**
     * @param name a strategy name
     * @throws OrchestratorException {@code INVALID_ARGUMENT} naming the installed strategies
     */
    void requireStrategy(String name) {
        plugins.requireInstalled(PluginKind.SCHEDULER, name, "strategy");
    }

    private Scheduler scheduler(String name) {
        return schedulers.computeIfAbsent(name, n -> new Scheduler(n,
                plugins.create(SchedulerStrategyFactory.class, n, context)));
    }

    /**
     * Sets a node's availability and places accordingly.
     *
     * @param name         the node
     * @param availability active, cordoned or draining
     * @return the node as changed
     * @throws OrchestratorException {@code NOT_FOUND} if there is no such node
     */
    NodeRecord setAvailability(String name, String availability) {
        NodeRecord n = store.inTransaction(tx -> {
            NodeRecord node = tx.node(name).orElseThrow(() -> new OrchestratorException(ErrorCode.NOT_FOUND,
                    "no node named '" + name + "'"));
            NodeRecord changed = node.withAvailability(availability);
            tx.putNode(changed);
            return changed;
        });
        context.events().emit("node", null, null, switch (availability) {
            case "cordoned" -> "Node " + name + " cordoned";
            case "draining" -> "Node " + name + " draining: its replicas move to other nodes";
            default -> "Node " + name + " is active again";
        });
        reassign();
        return n;
    }

    /**
     * The last lines of a replica's container, wherever it runs.
     *
     * @param r    the replica
     * @param tail how many lines
     * @return the lines; none if its node cannot be reached (logged)
     */
    List<LogLine> logs(ReplicaRecord r, int tail) {
        ContainerRuntime rt = runtime;
        if (r.node() == null || r.node().equals(localNode)) {
            return rt == null ? List.of() : rt.logs(r.containerId(), tail);
        }
        String url = membership.agentUrl(r.node()).orElse(null);
        if (url == null) {
            return List.of();
        }
        var req = HttpRequest.newBuilder(URI.create(url + Protocol.LOGS_PATH + "?tail=" + tail + "&container="
                        + URLEncoder.encode(r.containerId(), StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + membership.serverKey()).GET().build();
        try {
            HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            if (res.statusCode() != 200) {
                LOG.log(Level.WARNING, "logs of " + r.containerName() + " on " + r.node() + ": HTTP " + res.statusCode());
                return List.of();
            }
            return Arrays.stream(Protocol.read(res.body(), Protocol.Log[].class))
                    .map(l -> new LogLine(l.timestamp() == 0 ? null : Instant.ofEpochMilli(l.timestamp()), l.stream(),
                            l.text())).toList();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "logs of " + r.containerName() + " on " + r.node() + ": " + e);
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        http.close();
    }
}
