package dev.orchestrator.server;

import dev.orchestrator.api.NodeStatus;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.PluginContext;
import dev.orchestrator.api.spi.PluginKind;
import dev.orchestrator.cluster.Assigner;
import dev.orchestrator.cluster.NodeGateway;
import dev.orchestrator.cluster.LogFanIn;
import dev.orchestrator.cluster.LogQuery;
import dev.orchestrator.cluster.NodeLinks;
import dev.orchestrator.kernel.PluginManager;
import dev.orchestrator.store.NodeRecord;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.Store;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server's side of the nodes: the {@link NodeGateway} every node reports to and watches,
 * the assigner (placement), and the links through which the server calls a node. A timer runs
 * failure detection every half second. Assigner passes run on their own thread when something
 * they read changed (desired state, a node, a replica row: so pending replicas are placed as
 * soon as capacity appears and moves off draining nodes finish), and every 30 s regardless;
 * requests that arrive during a pass share the next one, so a burst of deploys costs a few
 * passes, not one each. Every change of assignments or of desired state reaches the nodes'
 * watches at once.
 */
final class Cluster implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Cluster.class.getName());
    private static final long TICK_MILLIS = 500;
    /** A pass even when nothing said it changed: a missed trigger costs at most this long. */
    private static final java.time.Duration SAFETY_NET = java.time.Duration.ofSeconds(30);
    private static final java.time.Duration START_WAIT = java.time.Duration.ofSeconds(5);
    private static final java.time.Duration DEPLOY_WAIT = java.time.Duration.ofMillis(250);

    private final Store store;
    private final Schedulers schedulers;
    private final PluginManager plugins;
    private final NodeGateway gateway;
    private final NodeLinks links = new NodeLinks();
    private final LogFanIn logs = new LogFanIn(links);
    private final Assigner assigner;
    private final AtomicBoolean specChanged = new AtomicBoolean();
    private final Passes passes = new Passes(this::pass, SAFETY_NET);
    private final io.helidon.metrics.api.Timer passTimer = io.helidon.metrics.api.Metrics.globalRegistry().getOrCreate(
            io.helidon.metrics.api.Timer.builder("orchestrator.scheduling.passes")
                    .description("Assigner passes: each places what needs placing, cluster-wide"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cluster-timer");
        t.setDaemon(true);
        return t;
    });

    Cluster(Store store, PluginManager plugins, PluginContext context, ServerOptions options, String clusterId) {
        this.store = store;
        this.plugins = plugins;
        this.gateway = new NodeGateway(store, context.events(), context.clock(), options.nodeTimeout(), clusterId,
                this::reassign);
        this.schedulers = new Schedulers(plugins, context);
        NodeGateway g = gateway;
        this.assigner = new Assigner(store, schedulers::of, options.scheduler(), context.events(),
                context.clock(), options.cpuOvercommit(), dev.orchestrator.cluster.NetworkAllotment.DEFAULT,
                node -> g.registry().silence(node));
        requireStrategy(options.scheduler());
    }

    /** Places what needs placing, then starts the timer and the assigner's thread. */
    void start() {
        passes.start();
        passes.requestAndWait(START_WAIT);
        timer.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            gateway.check();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "failure detection failed: " + e.getMessage());
        }
        if (assigner.waiting()) {
            passes.request(); // a fenced replica's wait ends within a tick, its row counts down
        }
    }

    /**
     * Something the assigner reads changed (a node, its availability, a replica row): a pass
     * soon. Never blocks.
     */
    void reassign() {
        passes.request();
    }

    /** A node's availability changed: a pass, waited for (at most a few seconds). */
    void reassignAndWait() {
        passes.requestAndWait(START_WAIT);
    }

    /**
     * The desired state of a service changed (deploy, scale, delete): the nodes' views follow at
     * once, and the caller waits for a pass that saw the change, so the answer already says
     * where the replicas go; at most {@link #DEPLOY_WAIT}, so a burst of deploys does not queue
     * behind long passes (the pass places them all anyway).
     *
     * @param service the service
     */
    void changed(String service) {
        // One rebuild of the nodes' views after the pass, not one before it and one after: the
        // pass publishes the spec change with its assignments.
        specChanged.set(true);
        passes.requestAndWait(DEPLOY_WAIT);
    }

    /** One assigner pass; the nodes whose assignments changed see it in their watches. */
    private void pass() {
        boolean publish = specChanged.getAndSet(false);
        long start = System.nanoTime();
        try {
            publish |= !assigner.assign().isEmpty();
        } finally {
            passTimer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            if (publish) {
                gateway.desiredStateChanged(); // a spec change is published even if the pass failed
            }
        }
    }

    /** @return the control plane's side of the node protocol */
    NodeGateway gateway() {
        return gateway;
    }

    /** @return the links to the nodes */
    NodeLinks links() {
        return links;
    }

    /**
     * @param image an image reference
     * @return false only if every ready node that answered lacks it
     */
    boolean imagePresent(String image) {
        return links.imagePresent(image, store.nodes().all().stream().filter(n -> n.status() == NodeStatus.READY)
                .map(NodeRecord::name).toList());
    }

    /**
     * @param name a strategy name
     * @throws OrchestratorException {@code INVALID_ARGUMENT} naming the installed strategies
     */
    void requireStrategy(String name) {
        schedulers.require(name);
    }

    /**
     * @param name a balancing policy, as a service's {@code load_balancer} names it
     * @throws OrchestratorException {@code INVALID_ARGUMENT} naming the installed policies
     */
    void requireBalancingPolicy(String name) {
        plugins.requireInstalled(PluginKind.BALANCING_POLICY, name, "load_balancer");
    }

    /**
     * A service's logs from every node, merged. Blocks at most {@link LogFanIn#WAIT}.
     *
     * @param q which lines
     * @return the lines, and the nodes missing from them
     */
    LogFanIn.Read readLogs(LogQuery q) {
        return logs.read(q, downNodes());
    }

    /**
     * Follows a service's logs on every node. Returns at once.
     *
     * @param q    which lines
     * @param sink where they go
     * @return ends the follow
     */
    AutoCloseable followLogs(LogQuery q, LogFanIn.Sink sink) {
        return logs.follow(q, downNodes(), sink);
    }

    private java.util.Set<String> downNodes() {
        return store.nodes().all().stream().filter(n -> n.status() == NodeStatus.DOWN).map(n -> n.name())
                .collect(java.util.stream.Collectors.toSet());
    }

    @Override
    public void close() {
        timer.shutdownNow();
        passes.close();
        gateway.close();
    }
}
