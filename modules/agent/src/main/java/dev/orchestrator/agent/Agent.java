package dev.orchestrator.agent;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.LoadBalancer;
import dev.orchestrator.api.spi.LoadBalancerFactory;
import dev.orchestrator.cluster.Protocol;
import dev.orchestrator.kernel.KernelContext;
import dev.orchestrator.kernel.PluginManager;
import dev.orchestrator.kernel.Probes;
import dev.orchestrator.kernel.Runtimes;
import dev.orchestrator.orchestration.LocalNode;
import dev.orchestrator.orchestration.Reconciler;
import dev.orchestrator.store.Store;
import io.helidon.webserver.WebServer;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running agent: its runtime and load balancer plugins, its local store (the mirror), its
 * reconciler, the heartbeat loop and its endpoint. {@link #close()} stops all of it and leaves
 * the containers running: a restarted agent adopts them.
 */
public final class Agent implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Agent.class.getName());

    private final AgentOptions options;
    private final Store store;
    private final Runtimes.Connected runtime;
    private final LocalNode node;
    private final Probes probes;
    private final Mirror mirror;
    private final EventQueue events;
    private final Heartbeats heartbeats;
    private final WebServer endpoint;
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "agent-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private volatile Reconciler reconciler;

    private Agent(AgentOptions options, PluginManager plugins) {
        this.options = options;
        this.events = new EventQueue(clock);
        var ctx = new KernelContext(clock, events);
        this.runtime = Runtimes.connect(plugins, options.runtime(), ctx);
        this.store = Store.open(options.dataDir());
        LoadBalancer lb = plugins.create(LoadBalancerFactory.class, options.loadBalancer(), ctx);
        this.node = new LocalNode(options.name(), options.advertiseAddress(), runtime.runtime(), lb,
                options.ingressAddress(), options.advertiseAddress());
        this.probes = new Probes(plugins, ctx);
        this.mirror = new Mirror(store);
        this.heartbeats = new Heartbeats(options, runtime.info(), store, events);
        this.endpoint = AgentEndpoint.start(options, runtime.runtime(), heartbeats::serverKey);
        heartbeats.agentUrl("http://" + hostLiteral(options.advertiseAddress()) + ":" + endpoint.port());
    }

    /**
     * Starts the agent: sends a first heartbeat and adopts its containers according to the
     * reply; if the server does not answer, according to the mirror of an earlier run, if any
     * (else once the server first answers). Waits for that one heartbeat only (at most 5 s).
     *
     * @param options how to run
     * @param plugins the discovered plugins
     * @param out     where the start-up line goes
     * @return the running agent
     * @throws OrchestratorException when the runtime is unreachable or a plugin is missing
     */
    public static Agent start(AgentOptions options, PluginManager plugins, PrintStream out) {
        var agent = new Agent(options, plugins);
        // The server's answer, if it comes, is fresher than the mirror: it may have moved
        // replicas away while this agent was down. Without one, the mirror is all there is.
        agent.beat();
        if (agent.reconciler == null) {
            agent.mirror.clusterId().ifPresent(agent::startReconciler);
        }
        long every = options.heartbeat().toMillis();
        agent.timer.scheduleWithFixedDelay(agent::beat, every, every, TimeUnit.MILLISECONDS);
        out.println("orchestrator agent " + options.name() + " (" + options.advertiseAddress() + ") joining "
                + options.server() + "; endpoint on port " + agent.endpoint.port());
        return agent;
    }

    private void beat() {
        try {
            Reconciler r = reconciler;
            heartbeats.send(r == null ? List.of() : r.localBackends()).ifPresent(this::onReply);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "heartbeat failed", e);
        }
    }

    private void onReply(Protocol.Reply reply) {
        Set<String> changed = mirror.apply(reply);
        Reconciler r = reconciler;
        if (r == null) {
            startReconciler(reply.clusterId());
            return;
        }
        changed.forEach(r::trigger);
        r.refreshRouting();
    }

    private synchronized void startReconciler(String clusterId) {
        if (reconciler != null) {
            return;
        }
        var r = new Reconciler(store, node, clusterId, events, clock, Reconciler.Settings.DEFAULT, probes::get,
                heartbeats);
        r.start();
        reconciler = r;
    }

    /** @return the port of the agent's endpoint */
    public int port() {
        return endpoint.port();
    }

    /** @return the node name */
    public String name() {
        return options.name();
    }

    private static String hostLiteral(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }

    /** Stops heartbeats, the reconciler and the endpoint; containers keep running. Idempotent. */
    @Override
    public void close() {
        timer.shutdownNow();
        if (endpoint.isRunning()) {
            endpoint.stop();
        }
        Reconciler r = reconciler;
        if (r != null) {
            r.close();
        }
        probes.close();
        heartbeats.close();
        runtime.runtime().close();
        store.close();
    }
}
