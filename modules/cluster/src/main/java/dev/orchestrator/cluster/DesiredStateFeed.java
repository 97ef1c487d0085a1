package dev.orchestrator.cluster;

import dev.orchestrator.api.PortMapping;
import dev.orchestrator.store.Assignment;
import dev.orchestrator.store.ServiceRecord;
import dev.orchestrator.store.SpecJson;
import dev.orchestrator.store.Store;
import dev.orchestrator.store.Subnet;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers the nodes' watches (blocking queries) with what each node needs of the desired state.
 *
 * <p>On {@link #changed()}, one thread rebuilds an immutable snapshot of the whole desired state
 * (services, assignments, the routing table) and swaps it in with one write; changes that arrive
 * meanwhile coalesce into one more rebuild. Each watcher derives its node's view from the
 * snapshot and returns when the view differs from the one the node holds. So a change costs
 * one read of the store, plus per node a filter of the snapshot; nothing is done per report.
 *
 * <p>Indices: a node's view gets the snapshot's version whenever its content changes, so
 * indices only grow. Versions start from the clock in milliseconds: a restarted server starts
 * above the indices nodes hold from its earlier run; a node that holds a higher index anyway
 * (a clock stepped back) is answered at once.
 *
 * <p>Thread-safe.
 */
public final class DesiredStateFeed implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DesiredStateFeed.class.getName());

    private final Store store;
    private final RoutingTable routing;
    private final String clusterId;
    private final NetworkAllotment networks;
    private final Set<String> networked = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private final Map<String, NodeView> views = new ConcurrentHashMap<>();
    private final Map<String, Protocol.Service> encoded = new ConcurrentHashMap<>();
    /** The routing-only encodings of services with published ports, by name: see {@link #forRouting}. */
    private final Map<String, Protocol.Service> routingEncoded = new ConcurrentHashMap<>();
    private final Thread builder;
    private volatile Snapshot current;
    private boolean dirty;
    private boolean closed;
    private long version;

    /** One build of the desired state. */
    private record Snapshot(long version, Map<String, Protocol.Service> services, Set<String> published,
                            Map<String, Protocol.Service> routingOnly,
                            Map<String, List<Protocol.Assign>> byNode, Map<String, List<Protocol.Backend>> backends,
                            List<Protocol.Subnet> subnets, List<Protocol.Entry> directory,
                            Map<String, String> images, Map<String, Protocol.Credential> credentials) {
    }

    /** A node's view, with the index it was given and the snapshot it was derived from. */
    private record NodeView(long snapshot, Protocol.Desired desired) {
    }

    /**
     * Builds the first snapshot, then rebuilds on every {@link #changed()}.
     *
     * @param store     the desired state
     * @param routing   the backends nodes reported
     * @param clusterId the cluster id
     * @param clock     where versions start
     */
    public DesiredStateFeed(Store store, RoutingTable routing, String clusterId, Clock clock) {
        this(store, routing, clusterId, clock, NetworkAllotment.DEFAULT);
    }

    /**
     * Builds the first snapshot, then rebuilds on every {@link #changed()}.
     *
     * @param store     the state
     * @param routing   the nodes' backends
     * @param clusterId the cluster id
     * @param clock     the clock
     * @param networks  the ranges the nodes' DNS address comes from
     */
    public DesiredStateFeed(Store store, RoutingTable routing, String clusterId, Clock clock,
                            NetworkAllotment networks) {
        this.networks = networks;
        this.store = store;
        this.routing = routing;
        this.clusterId = clusterId;
        this.version = clock.millis();
        this.current = build();
        this.builder = Thread.ofPlatform().daemon().name("desired-state-feed").start(this::rebuildLoop);
    }

    /**
     * Whether a node runs managed networks: only then does its view carry the subnets, the
     * directory and the other nodes' network addresses, which grow with services and nodes.
     * Never blocks.
     *
     * @param node       the node
     * @param networking what its last report said
     */
    public void networking(String node, boolean networking) {
        boolean changed = networking ? networked.add(node) : networked.remove(node);
        if (changed) {
            changed();
        }
    }

    /** The desired state or the routing table changed: rebuild soon. Never blocks. */
    public void changed() {
        synchronized (lock) {
            dirty = true;
            lock.notifyAll();
        }
    }

    /**
     * Rebuilds now, on the caller's thread, so the next watch sees every change committed
     * before this call. For tests and simulations; production code calls {@link #changed()}.
     */
    public void rebuildNow() {
        swap(build());
    }

    /**
     * @param node a node
     * @return its assignments (those it runs and those it holds) as of the last snapshot, which
     *         trails the store by a rebuild at most
     */
    public List<Protocol.Assign> assignmentsOf(String node) {
        return current.byNode().getOrDefault(node, List.of());
    }

    /**
     * See {@link ControlPlaneLink#watch}.
     *
     * @param node  the node
     * @param index the index it holds
     * @param wait  the longest to wait
     * @return the node's view
     * @throws InterruptedException if interrupted while waiting
     */
    public Protocol.Desired watch(String node, long index, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Snapshot s = current;
            Protocol.Desired view = viewOf(node, s);
            long left = deadline - System.nanoTime();
            if (view.index() != index) {
                return view;
            }
            if (left <= 0) {
                return unchanged(view);
            }
            synchronized (lock) {
                while (current == s && !closed && (left = deadline - System.nanoTime()) > 0) {
                    lock.wait(Math.max(1, left / 1_000_000));
                }
                if (closed) {
                    return unchanged(view);
                }
            }
        }
    }

    /**
     * The answer to a watch whose wait ended without a change: the same index and nothing else
     * (a node ignores an answer with the index it holds), so an idle watch costs a few bytes.
     */
    private static Protocol.Desired unchanged(Protocol.Desired view) {
        return new Protocol.Desired(view.index(), view.clusterId(), List.of(), List.of(), List.of());
    }

    /** The node's view in snapshot {@code s}: a new index only if its content changed. */
    private Protocol.Desired viewOf(String node, Snapshot s) {
        return views.compute(node, (n, before) -> {
            if (before != null && before.snapshot() >= s.version()) {
                return before;
            }
            Protocol.Desired fresh = derive(n, s, before == null ? s.version() : before.desired().index());
            boolean same = before != null && sameContent(before.desired(), fresh);
            return new NodeView(s.version(), same ? before.desired() : withIndex(fresh, s.version()));
        }).desired();
    }

    private Protocol.Desired derive(String node, Snapshot s, long index) {
        List<Protocol.Assign> assigns = s.byNode().getOrDefault(node, List.of());
        var names = new LinkedHashSet<String>();
        assigns.forEach(a -> names.add(a.service()));
        var services = new ArrayList<Protocol.Service>(names.size() + s.published().size());
        for (String name : names) {
            Protocol.Service svc = s.services().get(name);
            if (svc != null) {
                services.add(svc);
            }
        }
        // Services the node only routes to (their published ports): without their environment.
        for (String name : s.published()) {
            Protocol.Service svc = names.contains(name) ? null : s.routingOnly().get(name);
            if (svc != null) {
                services.add(svc);
            }
        }
        boolean networking = networked.contains(node);
        var backends = new ArrayList<Protocol.Backend>();
        s.backends().forEach((n, list) -> {
            if (!n.equals(node)) {
                list.stream().filter(b -> networking || b.network() == null).forEach(backends::add);
            }
        });
        List<Protocol.Credential> credentials = credentials(node, assigns, s);
        if (!networking) {
            return new Protocol.Desired(index, clusterId, services, assigns, backends, List.of(), List.of(), null,
                    credentials);
        }
        return new Protocol.Desired(index, clusterId, services, assigns, backends, s.subnets(), s.directory(),
                networks.dnsAddress(), credentials);
    }

    /** Only the registries of images the node runs (it pulls those), never of services it only routes to. */
    private static List<Protocol.Credential> credentials(String node, List<Protocol.Assign> assigns, Snapshot s) {
        if (s.credentials().isEmpty()) {
            return List.of();
        }
        var hosts = new java.util.TreeSet<String>();
        for (Protocol.Assign a : assigns) {
            String image = node.equals(a.node()) ? s.images().get(a.service()) : null;
            if (image != null) {
                hosts.add(dev.orchestrator.api.Validation.registryHost(image));
            }
        }
        return hosts.stream().map(s.credentials()::get).filter(java.util.Objects::nonNull).toList();
    }

    private static boolean sameContent(Protocol.Desired a, Protocol.Desired b) {
        return a.services().equals(b.services()) && a.assignments().equals(b.assignments())
                && a.backends().equals(b.backends()) && a.subnets().equals(b.subnets())
                && a.directory().equals(b.directory()) && a.credentials().equals(b.credentials());
    }

    private static Protocol.Desired withIndex(Protocol.Desired d, long index) {
        return new Protocol.Desired(index, d.clusterId(), d.services(), d.assignments(), d.backends(), d.subnets(),
                d.directory(), d.dnsAddress(), d.credentials());
    }

    private void rebuildLoop() {
        while (true) {
            synchronized (lock) {
                while (!dirty && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                dirty = false;
            }
            try {
                swap(build());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "rebuilding the nodes' views failed, retrying: " + e.getMessage());
                sleepThenRetry();
            }
        }
    }

    private void sleepThenRetry() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        changed();
    }

    private void swap(Snapshot s) {
        synchronized (lock) {
            if (current == null || s.version() > current.version()) {
                current = s;
            }
            lock.notifyAll();
        }
    }

    private Snapshot build() {
        long v;
        synchronized (lock) {
            v = ++version;
        }
        List<ServiceRecord> records = store.services().all();
        List<Assignment> assignments = store.assignments().all();
        var services = new HashMap<String, Protocol.Service>();
        var published = new LinkedHashSet<String>();
        var routingOnly = new HashMap<String, Protocol.Service>();
        Map<String, java.util.SortedSet<Long>> older = olderRevisions(records, assignments);
        for (ServiceRecord r : records) {
            Protocol.Service full = encode(r, older.getOrDefault(r.name(), java.util.Collections.emptySortedSet()));
            services.put(r.name(), full);
            if (r.spec().ports().stream().anyMatch(PortMapping::published)) {
                published.add(r.name());
                routingOnly.put(r.name(), forRouting(r, full));
            }
        }
        encoded.keySet().retainAll(services.keySet());
        routingEncoded.keySet().retainAll(routingOnly.keySet());
        var byNode = new HashMap<String, List<Protocol.Assign>>();
        for (Assignment a : assignments) {
            Protocol.Assign wire = assign(a);
            byNode.computeIfAbsent(a.node(), k -> new ArrayList<>()).add(wire);
            if (a.previousNode() != null && !a.previousNode().equals(a.node())) {
                byNode.computeIfAbsent(a.previousNode(), k -> new ArrayList<>()).add(wire);
            }
        }
        var images = new HashMap<String, String>();
        records.forEach(r -> images.put(r.name(), r.spec().image()));
        return new Snapshot(v, services, published, routingOnly, byNode, routing.snapshot(), subnets(), directory(records),
                images, credentials());
    }

    /** Every registry's credentials, decrypted by the store, by host. */
    private Map<String, Protocol.Credential> credentials() {
        var out = new HashMap<String, Protocol.Credential>();
        store.registries().all().forEach(c -> out.put(c.host(),
                new Protocol.Credential(c.host(), c.username(), c.password())));
        return out;
    }

    /** Every subnet with its node's address; a subnet of a node not registered yet waits for it. */
    private List<Protocol.Subnet> subnets() {
        var addresses = new HashMap<String, String>();
        store.nodes().all().forEach(n -> addresses.put(n.name(), n.address()));
        var out = new ArrayList<Protocol.Subnet>();
        for (Subnet s : store.networks().subnets()) {
            String address = addresses.get(s.node());
            if (address != null) {
                out.add(new Protocol.Subnet(s.network(), s.node(), s.subnet(), address));
            }
        }
        return out;
    }

    /** Every service with a stable address (a service gets one in the assigner's next pass). */
    private List<Protocol.Entry> directory(List<ServiceRecord> records) {
        Map<String, String> addresses = store.networks().addresses();
        var out = new ArrayList<Protocol.Entry>();
        for (ServiceRecord r : records) {
            String address = addresses.get(r.name());
            if (address != null) {
                out.add(new Protocol.Entry(r.name(), address, r.spec().effectiveNetworks(),
                        r.spec().ports().stream().filter(p -> p.protocol().equals("tcp"))
                                .map(PortMapping::containerPort).toList(),
                        r.spec().effectiveLoadBalancer()));
            }
        }
        out.sort(java.util.Comparator.comparing(Protocol.Entry::service));
        return out;
    }

    /** Per service, the revisions other than its current one that some replica still runs. */
    private static Map<String, java.util.SortedSet<Long>> olderRevisions(List<ServiceRecord> records,
                                                                          List<Assignment> assignments) {
        var current = new HashMap<String, Long>();
        records.forEach(r -> current.put(r.name(), r.revision()));
        var out = new HashMap<String, java.util.SortedSet<Long>>();
        for (Assignment a : assignments) {
            Long now = current.get(a.service());
            if (now != null && a.target(now) != now) {
                out.computeIfAbsent(a.service(), k -> new java.util.TreeSet<>()).add(a.target(now));
            }
        }
        return out;
    }

    /** A service as views carry it; the encoded spec is reused until the service changes. */
    private Protocol.Service encode(ServiceRecord s, java.util.SortedSet<Long> older) {
        Protocol.Service cached = encoded.get(s.name());
        if (cached != null && cached.revision() == s.revision() && cached.replicas() == s.spec().replicas()
                && cached.updatedAt() == s.updatedAt().toEpochMilli()
                && cached.createdAt() == s.createdAt().toEpochMilli()
                && cached.previous().stream().map(Protocol.Rev::revision).toList().equals(List.copyOf(older))) {
            return cached;
        }
        var previous = new ArrayList<Protocol.Rev>();
        for (long r : older) {
            // A revision trimmed from the history has no spec to send: the node then keeps the
            // replica's container as it is, and restarts it with the current spec.
            store.services().revision(s.name(), r).ifPresent(spec -> previous.add(new Protocol.Rev(r,
                    SpecJson.encode(spec))));
        }
        var fresh = new Protocol.Service(s.name(), SpecJson.encode(s.spec()), s.spec().replicas(), s.revision(),
                s.createdAt().toEpochMilli(), s.updatedAt().toEpochMilli(), previous);
        encoded.put(s.name(), fresh);
        return fresh;
    }

    /** The service for a node that runs none of its replicas: no environment, no older revisions. */
    private Protocol.Service forRouting(ServiceRecord s, Protocol.Service full) {
        Protocol.Service cached = routingEncoded.get(s.name());
        if (cached != null && cached.revision() == full.revision() && cached.replicas() == full.replicas()
                && cached.updatedAt() == full.updatedAt() && cached.createdAt() == full.createdAt()) {
            return cached;
        }
        var fresh = new Protocol.Service(s.name(), SpecJson.encodeForRouting(s.spec()), full.replicas(),
                full.revision(), full.createdAt(), full.updatedAt(), List.of());
        routingEncoded.put(s.name(), fresh);
        return fresh;
    }

    static Protocol.Assign assign(Assignment a) {
        return new Protocol.Assign(a.service(), a.index(), a.node(), a.previousNode(), a.assignedAt().toEpochMilli(),
                a.revision());
    }

    /**
     * Wakes every watcher (each returns its current view) and stops rebuilding; returns once
     * the rebuilding thread has ended (at most 5 s), so the store can be closed after it.
     * Idempotent.
     */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        builder.interrupt();
        try {
            builder.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
