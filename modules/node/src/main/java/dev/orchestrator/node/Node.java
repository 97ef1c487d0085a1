package dev.orchestrator.node;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.ContainerRuntime;
import dev.orchestrator.api.spi.Endpoint;
import dev.orchestrator.api.spi.LoadBalancer;
import dev.orchestrator.api.spi.LoadBalancerFactory;
import dev.orchestrator.cluster.ControlPlaneLink;
import dev.orchestrator.cluster.NodeLink;
import dev.orchestrator.cluster.Protocol;
import dev.orchestrator.kernel.KernelContext;
import dev.orchestrator.kernel.PluginManager;
import dev.orchestrator.kernel.Probes;
import dev.orchestrator.kernel.Runtimes;
import dev.orchestrator.orchestration.Attachments;
import dev.orchestrator.orchestration.BalancingPolicies;
import dev.orchestrator.orchestration.LocalNode;
import dev.orchestrator.orchestration.Reconciler;
import dev.orchestrator.orchestration.RemoteBackends;
import dev.orchestrator.store.Health;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.ReplicaState;
import dev.orchestrator.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The node runtime: what runs on every node, the server's own node and every agent alike. It
 * holds the runtime and load balancer plugins, the probes, a local store with its mirror of the
 * desired state, and the reconciler that converges the containers to it; it reports observed
 * state and holds a watch through a {@link ControlPlaneLink}, which is the only thing that
 * differs between an agent (HTTP) and the server's node (in process).
 *
 * <p>Lifecycle: {@link #create} connects the runtime and opens the store; {@link #start} joins
 * the control plane and starts reconciling; {@link #close} stops all of it and leaves the
 * containers running, so a restarted node adopts them.
 */
public final class Node implements AutoCloseable {
    private final NodeOptions options;
    private final Clock clock = Clock.systemUTC();
    private final EventQueue events;
    private final Runtimes.Connected runtime;
    private final Store store;
    private final LocalNode node;
    private final Probes probes;
    private final Mirror mirror;
    private final LocalLink local;
    private final LogFiles logFiles;
    private final LogCapture logCapture;
    private volatile Reporter reporter;
    private volatile Watcher watcher;
    private volatile Reconciler reconciler;
    private volatile EngineWatch engine;
    private volatile UsageCollector usage;
    /** Null for the server's own node, which cannot lose the server. */
    private volatile Fence fence;
    private final PluginManager plugins;
    private final KernelContext context;
    private volatile NodeNetwork network;
    private volatile Protocol.Desired lastView;
    /** The registry credentials of the last view, by host: in memory only, never in the node's store. */
    private volatile java.util.Map<String, dev.orchestrator.api.spi.RegistryAuth> credentials = java.util.Map.of();

    /** With {@code givenRuntime} and {@code givenLb} null, both come from {@code plugins}. */
    private Node(NodeOptions options, PluginManager plugins, ContainerRuntime givenRuntime, LoadBalancer givenLb) {
        this.options = options;
        this.events = new EventQueue(clock);
        var ctx = new KernelContext(clock, events);
        this.plugins = plugins;
        this.context = ctx;
        this.runtime = givenRuntime == null ? Runtimes.connect(plugins, options.runtime(), ctx)
                : new Runtimes.Connected(givenRuntime, givenRuntime.info());
        try {
            this.store = Store.open(options.dataDir());
            LoadBalancer lb = givenLb != null ? givenLb
                    : plugins.create(LoadBalancerFactory.class, options.loadBalancer(), ctx);
            // A given load balancer (simulations, tests) gets the published order: it binds
            // nothing, and there are no policy plugins to choose from.
            BalancingPolicies policies = givenLb != null ? BalancingPolicies.only((c, client) -> c.endpoints())
                    : new Policies(plugins, ctx);
            this.node = new LocalNode(options.name(), options.advertiseAddress(), runtime.runtime(), lb,
                    options.ingressAddress(), options.advertiseAddress(), policies, new NetworkAttachments(),
                    host -> java.util.Optional.ofNullable(credentials.get(host)));
            this.probes = new Probes(plugins, ctx);
        } catch (RuntimeException e) {
            runtime.runtime().close();
            throw e;
        }
        this.mirror = new Mirror(store);
        // <data-dir>/logs/<service>/: the captured output, bounded per service (docs/logs.md).
        this.logFiles = new LogFiles(options.dataDir().resolve("logs"), options.logs(), clock);
        LogHub hub = new LogHub();
        this.logCapture = new LogCapture(options.name(), runtime.runtime(), logFiles, hub);
        this.local = new LocalLink(runtime.runtime(), logFiles, hub);
    }

    /**
     * Connects the node's runtime and opens its store; nothing runs yet.
     *
     * @param options how to run
     * @param plugins the discovered plugins
     * @return the node, not started
     * @throws OrchestratorException when the runtime is unreachable or a plugin is missing
     */
    public static Node create(NodeOptions options, PluginManager plugins) {
        return new Node(options, plugins, null, null);
    }

    /**
     * A node on a runtime and load balancer given by the caller instead of discovered plugins,
     * for simulations and tests (e.g. a {@code FakeRuntime} and a load balancer that binds
     * nothing). No probe plugins are installed: services with a {@code health_check} fail their
     * probes' creation with {@code PLUGIN_ERROR}; the load balancer is given every port's
     * backends with a policy that keeps their published order, whatever the service names. {@link #close} closes the runtime, as it does
     * a discovered one, and leaves the load balancer to the caller.
     *
     * @param options      how to run
     * @param runtime      the container runtime; asked for its {@code info()} once, here
     * @param loadBalancer publishes the node's service ports
     * @return the node, not started
     * @throws OrchestratorException when the runtime does not answer {@code info()} or the store
     *         cannot be opened
     */
    public static Node create(NodeOptions options, ContainerRuntime runtime, LoadBalancer loadBalancer) {
        return new Node(options, PluginManager.of(List.of()), Objects.requireNonNull(runtime, "runtime"),
                Objects.requireNonNull(loadBalancer, "loadBalancer"));
    }

    /**
     * Joins the control plane: one report, one view, and the reconciler adopts the containers
     * according to it; if the control plane does not answer, according to the mirror of an
     * earlier run, if any (else once it first answers). Then reports and watches on their own
     * threads. Waits for that one report and view only.
     *
     * @param link        the control plane
     * @param endpointUrl where this node's endpoint answers the server, or null without one
     */
    public void start(ControlPlaneLink link, String endpointUrl) {
        var r = new Reporter(options, runtime.info(), store, events, link);
        r.endpointUrl(endpointUrl);
        var u = new UsageCollector(runtime.runtime(), this::ownRows, clock, UsageCollector.INTERVAL);
        usage = u;
        r.observed(this::observed);
        r.networking(networked());
        events.onEmit(r::soon);
        reporter = r;
        watcher = new Watcher(options.name(), link, this::onView, r::soon);
        if (!link.inProcess()) {
            var f = new Fence(options.name(), store, System::nanoTime, events, this::triggerService,
                    watcher::fetchNow);
            r.onAccepted(f::heard);
            fence = f;
        }
        // The control plane's view, if it comes, is fresher than the mirror: it may have moved
        // replicas away while this node was down. Without one, the mirror is all there is.
        boolean heard = r.reportNow().isPresent() && watcher.fetchNow();
        if (!heard && reconciler == null) {
            mirror.clusterId().ifPresent(this::startReconciler);
        }
        r.start();
        watcher.start();
        Fence f = fence;
        if (f != null) {
            f.start();
        }
        u.start();
        logCapture.start();
        var e = new EngineWatch(runtime.runtime(), clock, this::engineLost, this::engineBack);
        engine = e;
        r.engine(e::problem);
        e.start();
    }

    /**
     * The engine stopped answering: what this node last saw of its containers is no longer
     * known, so its replicas become {@code unknown} (not counted as running or healthy, not
     * serving in DNS) until the engine answers and the reconciler looks again.
     */
    private void engineLost(String reason) {
        String engineName = engineName();
        events.emit("node", null, null, engineName + " unreachable on " + options.name() + ": " + reason,
                options.name());
        markUnknown(store, options.name(), engineName + " unreachable", clock.instant());
        // Load balancers keep the containers: with live-restore they still serve; dead ones fail
        // to connect and the balancer moves on, and health checks take failing ones out.
        Reporter rep = reporter;
        if (rep != null) {
            rep.soon();
        }
    }

    /**
     * @param store   the node's store
     * @param node    the node
     * @param message the rows' message
     * @param now     the rows' time
     * @return how many rows became {@code unknown}: every replica of the node past pending (one
     *         whose container died and waits for its restart is not known to restart either)
     */
    static int markUnknown(Store store, String node, String message, java.time.Instant now) {
        int marked = 0;
        for (ReplicaRecord r : store.replicas().all()) {
            if (node.equals(r.node()) && r.state() != ReplicaState.PENDING && r.state() != ReplicaState.UNKNOWN) {
                try {
                    store.replicas().put(new ReplicaRecord(r.service(), r.index(), r.node(), r.containerId(),
                            r.containerName(), r.revision(), ReplicaState.UNKNOWN, Health.UNKNOWN, r.restartCount(),
                            r.lastExitCode(), r.hostPort(), message, now));
                    marked++;
                } catch (OrchestratorException ex) {
                    // the service went meanwhile: nothing to say about it
                }
            }
        }
        return marked;
    }

    private void engineBack(String reason, java.time.Duration outage) {
        events.emit("node", null, null, engineName() + " reachable again on " + options.name() + " after "
                + Math.max(1, outage.toSeconds()) + "s", options.name());
        Reconciler rec = reconciler;
        if (rec != null) {
            rec.resyncAll(); // observe every service again: the rows become what the engine says
        }
    }

    private String engineName() {
        String driver = runtime.info().driver();
        return "docker".equals(driver) ? "Docker engine" : "container runtime " + driver;
    }

    /**
     * Where new containers go: the managed networks once they run, else the default network.
     * A class, not a method reference: a lambda would drop {@link Attachments#createFailed}, and
     * a network another node removed would then fail every later start here.
     */
    private final class NetworkAttachments implements Attachments {
        @Override
        public Attachment of(dev.orchestrator.api.ServiceSpec spec) {
            NodeNetwork n = network;
            return n == null ? Attachment.DEFAULT : n.of(spec);
        }

        @Override
        public void createFailed(dev.orchestrator.api.ServiceSpec spec) {
            NodeNetwork n = network;
            if (n != null) {
                n.createFailed(spec);
            }
        }
    }

    private void onView(Protocol.Desired view) {
        lastView = view;
        var auths = new java.util.HashMap<String, dev.orchestrator.api.spi.RegistryAuth>();
        view.credentials().forEach(c -> auths.put(c.host(),
                new dev.orchestrator.api.spi.RegistryAuth(c.host(), c.username(), c.password())));
        boolean newCredentials = !auths.equals(credentials);
        credentials = java.util.Map.copyOf(auths); // before the reconciler acts on this view
        NodeNetwork n = network;
        if (n != null) {
            n.view(view); // first: a container created for this view needs its subnets
        }
        Set<String> changed = mirror.apply(view);
        Reconciler rec = reconciler;
        if (rec == null) {
            startReconciler(view.clusterId());
            return;
        }
        changed.forEach(rec::trigger);
        if (newCredentials) {
            rec.registriesChanged();
        }
        rec.refreshRouting();
    }

    private void triggerService(String service) {
        Reconciler rec = reconciler;
        if (rec != null) {
            rec.trigger(service);
        }
    }

    private synchronized void startReconciler(String clusterId) {
        if (reconciler != null) {
            return;
        }
        var rec = new Reconciler(store, node, clusterId, events, clock, Reconciler.Settings.DEFAULT, probes::get,
                remoteBackends());
        Fence f = fence;
        if (f != null) {
            rec.fence(f::reason); // before the first pass: a node cut off at its start stays fenced
        }
        reporter.backends(rec::localBackends);
        startNetwork(clusterId, rec);
        rec.onRecorded(reporter::soon); // new rows reach the server within 50 ms, not a heartbeat
        rec.start();
        reconciler = rec;
    }

    /**
     * Starts the node's managed networks, DNS and stable addresses, when its runtime manages
     * networks and the load balancer comes from a plugin (not for simulations).
     */
    private void startNetwork(String clusterId, Reconciler rec) {
        var networks = runtime.runtime().networking();
        if (!networked()) {
            return;
        }
        var dns = new PluginDns(plugins, null, context);
        dns.startOperators();
        var n = new NodeNetwork(options.name(), clusterId, networks.orElseThrow(), new HostNetwork(new HostCommands()),
                () -> plugins.create(LoadBalancerFactory.class, options.loadBalancer(), context), node.policies(), dns,
                rec::members, dns.zone());
        rec.onMembersChanged(() -> {
            n.membersChanged();
            Reporter r = reporter;
            if (r != null) {
                r.soon();
            }
        });
        n.start();
        Protocol.Desired last = lastView;
        if (last != null) {
            n.view(last);
        }
        network = n;
    }

    /** Managed networks need a runtime that has them and a load balancer from a plugin (not a simulation's). */
    private boolean networked() {
        return runtime.runtime().networking().isPresent()
                && plugins.hasAny(dev.orchestrator.api.spi.PluginKind.LOAD_BALANCER);
    }

    /**
     * The other nodes' backends, from the last view. A container leaving service is withdrawn
     * here, then reported at once; the control plane pushes the change to every other node's
     * watch, so the wait before it stops is one report plus slack, not heartbeat intervals.
     */
    private RemoteBackends remoteBackends() {
        return new RemoteBackends() {
            @Override
            public List<Endpoint> of(String service, int containerPort, String protocol) {
                Watcher w = watcher;
                return w == null ? List.of() : w.of(service, containerPort, protocol);
            }

            @Override
            public Duration propagation() {
                Reporter r = reporter;
                if (r != null) {
                    r.reportNow();
                }
                return Reporter.propagationAfterReport();
            }
        };
    }

    private List<ReplicaRecord> ownRows() {
        return store.replicas().all().stream().filter(r -> options.name().equals(r.node())).toList();
    }

    /**
     * What the node measured: its replicas' usage, its probes' results and its published
     * ports' traffic (the load balancer of published ports; the stable addresses' balancers
     * are internal and not counted).
     */
    Protocol.Observed observed() {
        UsageCollector u = usage;
        Reconciler rec = reconciler;
        List<Protocol.ProbeTally> probes = rec == null ? List.of() : rec.monitor().tallies().snapshot().stream()
                .map(c -> new Protocol.ProbeTally(c.service(), c.type(), c.healthy() ? "healthy" : "unhealthy",
                        c.count(), c.nanosTotal()))
                .toList();
        List<Protocol.PortCount> ports;
        try {
            ports = node.loadBalancer().traffic().stream()
                    .map(t -> new Protocol.PortCount(t.service(), t.protocol(), t.port(), t.connectionsTotal(),
                            t.connectionsActive(), t.bytesReceived(), t.bytesSent()))
                    .toList();
        } catch (RuntimeException e) {
            ports = List.of(); // a plugin's counters must not cost the node its report
        }
        return new Protocol.Observed(u == null ? List.of() : u.snapshot(), probes, ports);
    }

    /** Whether containers of this cluster still run on the runtime (a failure counts as yes). */
    private boolean anyRunning() {
        try {
            return mirror.clusterId().map(id -> runtime.runtime()
                    .list(java.util.Map.of(dev.orchestrator.orchestration.Labels.CLUSTER, id)).stream()
                    .anyMatch(dev.orchestrator.api.spi.ContainerDetails::running)).orElse(false);
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** @return how the control plane reaches this node in process */
    public NodeLink link() {
        return local;
    }

    /** @return the key the server presents to this node's endpoint, null before the first answer */
    public String serverKey() {
        Reporter r = reporter;
        return r == null ? null : r.serverKey();
    }

    /** @return the node name */
    public String name() {
        return options.name();
    }

    /** Stops reporting, watching and reconciling; containers keep running. Idempotent. */
    @Override
    public void close() {
        Fence f = fence;
        if (f != null) {
            f.close();
        }
        EngineWatch e = engine;
        if (e != null) {
            e.close();
        }
        UsageCollector u = usage;
        if (u != null) {
            u.close();
        }
        Watcher w = watcher;
        if (w != null) {
            w.close();
        }
        Reporter r = reporter;
        if (r != null) {
            r.close();
        }
        Reconciler rec = reconciler;
        if (rec != null) {
            rec.close();
        }
        NodeNetwork n = network;
        if (n != null) {
            n.close(anyRunning());
        }
        logCapture.close();
        logFiles.close();
        probes.close();
        runtime.runtime().close();
        store.close();
    }
}
