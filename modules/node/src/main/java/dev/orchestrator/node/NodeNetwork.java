package dev.orchestrator.node;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.Ipv4Cidr;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.spi.Endpoint;
import dev.orchestrator.api.spi.LoadBalancer;
import dev.orchestrator.api.spi.NetworkRuntime;
import dev.orchestrator.api.spi.ServiceDiscovery;
import dev.orchestrator.cluster.Protocol;
import dev.orchestrator.orchestration.Attachments;
import dev.orchestrator.orchestration.Backend;
import dev.orchestrator.orchestration.BalancingPolicies;
import dev.orchestrator.orchestration.Labels;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * A node's share of the managed networks: its Docker bridge networks (one per managed network,
 * with the subnet the control plane allotted to this node), the host's routes and rules
 * ({@link HostNetwork}), the service DNS its containers resolve with, and the services' stable
 * addresses served by the node's internal load balancer.
 *
 * <p>Inputs come from the watch ({@link #view}) and from the reconciler when this node's
 * serving replicas change ({@link #membersChanged}); both only mark the state dirty, and one
 * worker thread applies it, so neither caller blocks. {@link #of} (called before a container
 * is created) blocks while it makes a missing Docker network.
 */
final class NodeNetwork implements Attachments, AutoCloseable {
    static final String NETWORK_LABEL = "dev.orchestrator.network";
    private static final System.Logger LOG = System.getLogger(NodeNetwork.class.getName());
    private final String node;
    private final String cluster;
    private final NetworkRuntime runtime;
    private final HostNetwork host;
    private final Supplier<LoadBalancer> balancers;
    private final BalancingPolicies policies;
    private final Map<String, LoadBalancer> internal = new HashMap<>(); // per stable address; worker only
    private final DnsListeners dns;
    private final Supplier<List<Backend>> localMembers;
    private final String zone;
    private final Object lock = new Object();
    /** This node's networks at the last prune, and whether one to remove was still in use; worker thread only. */
    private Set<String> prunedFor;
    private boolean pruneLeft;
    /** The network id taken for each runtime network name, until it fails or goes. */
    private final Map<String, String> chosen = new java.util.concurrent.ConcurrentHashMap<>();
    private final Set<String> served = new HashSet<>(); // service/port keys published; worker only
    private final Set<String> named = new HashSet<>(); // services in DNS; worker only
    private volatile Protocol.Desired view;
    private volatile boolean containerDns;
    /** Open once the first view has been applied: containers made before would miss the DNS. */
    private final java.util.concurrent.CountDownLatch applied = new java.util.concurrent.CountDownLatch(1);
    private boolean dirty;
    private boolean closed;
    private Thread worker;

    /** The DNS servers of a node: for its containers (on its DNS address), and for operators. */
    interface DnsListeners extends AutoCloseable {
        /**
         * @param address the containers' DNS address, now on the host
         * @return true if the containers' listener serves there
         */
        boolean serveContainers(String address);

        /** @return every listener, for updates */
        List<ServiceDiscovery> all();

        @Override
        void close();
    }

    NodeNetwork(String node, String cluster, NetworkRuntime runtime, HostNetwork host, Supplier<LoadBalancer> balancers,
                BalancingPolicies policies, DnsListeners dns, Supplier<List<Backend>> localMembers, String zone) {
        this.node = node;
        this.cluster = cluster;
        this.runtime = runtime;
        this.host = host;
        this.balancers = balancers;
        this.policies = policies;
        this.dns = dns;
        this.localMembers = localMembers;
        this.zone = zone;
    }

    /** Starts the worker. */
    void start() {
        worker = Thread.ofPlatform().daemon().name("node-network").start(this::loop);
    }

    /** @param v the node's latest view */
    void view(Protocol.Desired v) {
        view = v;
        dirty();
    }

    /** This node's serving replicas changed. */
    void membersChanged() {
        dirty();
    }

    @Override
    public Attachment of(ServiceSpec spec) {
        awaitFirstApply();
        Protocol.Desired v = view;
        var names = new ArrayList<String>();
        for (String net : spec.effectiveNetworks()) {
            names.add(ensure(net, v));
        }
        boolean withDns = containerDns && v != null && v.dnsAddress() != null;
        // No network alias: Docker's own resolver would answer the service's name with the
        // containers' addresses itself (healthy or not) and never ask the node's DNS.
        return new Attachment(names, List.of(), withDns ? List.of(v.dnsAddress()) : List.of(),
                withDns ? List.of(zone) : List.of());
    }

    private void awaitFirstApply() {
        try {
            if (!applied.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "networks not applied within 10 s; creating the container without service DNS");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void createFailed(ServiceSpec spec) {
        spec.effectiveNetworks().forEach(net -> chosen.remove(NETWORK_PREFIX + net));
    }

    /**
     * Makes the Docker network of {@code net} on this node, if missing.
     *
     * @return the id of the one network of that name to use: nodes sharing an engine may each
     *         create one at once (Docker's duplicate check is not atomic), so all of them take
     *         the lowest id, and the others go once empty
     */
    String ensure(String net, Protocol.Desired v) {
        String name = NETWORK_PREFIX + net;
        // Remembered, so a create costs no lookups on the engine (two calls, each slow under
        // load). A node sharing this engine may remove the one this node took (a duplicate of a
        // racing create): then a create fails and createFailed forgets it, and every sync drops
        // ids no longer on the engine.
        String known = chosen.get(name);
        if (known != null) {
            return known;
        }
        synchronized (lock) {
            known = chosen.get(name); // the replicas of a scale-up wait here for the first one's lookup
            if (known != null) {
                return known;
            }
            List<NetworkRuntime.Network> all = named(name, net);
            if (all.isEmpty()) {
                removeForeign(name, net);
                create(name, net, v);
                all = named(name, net);
            }
            if (all.isEmpty()) {
                throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, "network " + name + " vanished as it was made");
            }
            for (NetworkRuntime.Network extra : all.subList(1, all.size())) {
                if (extra.containers().isEmpty()) {
                    try {
                        runtime.removeNetwork(extra.id());
                    } catch (OrchestratorException e) {
                        LOG.log(Level.DEBUG, "duplicate network " + extra.id() + " stays: " + e.getMessage());
                    }
                }
            }
            String id = all.getFirst().id();
            chosen.put(name, id);
            return id;
        }
    }

    /** @return this cluster's networks called {@code name}, lowest id first */
    private List<NetworkRuntime.Network> named(String name, String net) {
        return runtime.networks(Map.of(NETWORK_LABEL, net, Labels.CLUSTER, cluster)).stream()
                .filter(n -> n.name().equals(name))
                .sorted(java.util.Comparator.comparing(NetworkRuntime.Network::id)).toList();
    }

    /**
     * Removes empty networks of that name left by another cluster (an earlier one on this
     * engine): their subnet is not this cluster's. One with containers is in use and stays;
     * the create then fails and is retried.
     */
    private void removeForeign(String name, String net) {
        for (NetworkRuntime.Network n : runtime.networks(Map.of(NETWORK_LABEL, net))) {
            if (n.name().equals(name) && !cluster.equals(n.labels().get(Labels.CLUSTER)) && n.containers().isEmpty()) {
                try {
                    runtime.removeNetwork(n.id());
                    LOG.log(Level.INFO, "network " + name + " of another cluster removed from " + node + ": empty");
                } catch (OrchestratorException e) {
                    LOG.log(Level.DEBUG, "network " + n.id() + " stays: " + e.getMessage());
                }
            }
        }
    }

    private void create(String name, String net, Protocol.Desired v) {
        String subnet = v == null ? null : v.subnets().stream()
                .filter(s -> s.network().equals(net) && s.node().equals(node))
                .map(Protocol.Subnet::subnet).findFirst().orElse(null);
        if (subnet == null) {
            throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, "network " + net
                    + " has no subnet on node " + node + " yet");
        }
        String gateway = Ipv4Cidr.parse("subnet", subnet).addressAt(1);
        try {
            runtime.createNetwork(name, subnet, gateway, Map.of(NETWORK_LABEL, net, Labels.CLUSTER, cluster));
            LOG.log(Level.INFO, "network " + net + " ready on " + node + " (" + subnet + ")");
        } catch (OrchestratorException e) {
            // Another node on this engine made one meanwhile (its subnet overlaps ours): use it.
            LOG.log(Level.DEBUG, "network " + name + " not made here: " + e.getMessage());
        }
        host.recheck();
        dirty(); // Docker put its rules for the new bridge first: ours go back in front
    }

    private void dirty() {
        synchronized (lock) {
            dirty = true;
            lock.notifyAll();
        }
    }

    private void loop() {
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
                sync();
            } catch (RuntimeException e) {
                applied.countDown(); // containers go on without what failed; the retry catches up
                LOG.log(Level.WARNING, "applying the networks failed, retrying: " + e.getMessage());
                sleepQuietly();
                dirty();
            }
        }
    }

    private void sync() {
        Protocol.Desired v = view;
        if (v == null) {
            return;
        }
        Map<String, List<Endpoint>> members = members(v);
        pruneNetworks(v);
        boolean hostReady = host.apply(plan(v));
        if (hostReady && v.dnsAddress() != null && !containerDns) {
            containerDns = dns.serveContainers(v.dnsAddress());
        }
        publishDns(v, members);
        publishAddresses(v, members);
        applied.countDown();
    }

    /** Every service's serving replicas (here and elsewhere), each once, on its first network. */
    private Map<String, List<Endpoint>> members(Protocol.Desired v) {
        var byReplica = new LinkedHashMap<String, Endpoint>();
        var service = new HashMap<String, String>();
        for (Backend b : localMembers.get()) {
            byReplica.putIfAbsent(b.service() + "/" + b.endpoint().replica(), b.endpoint());
            service.put(b.service() + "/" + b.endpoint().replica(), b.service());
        }
        for (Protocol.Backend b : v.backends()) {
            if (b.network() != null) {
                String key = b.service() + "/" + b.replica();
                byReplica.putIfAbsent(key, new Endpoint(b.replica(), b.host(), 0));
                service.put(key, b.service());
            }
        }
        var out = new TreeMap<String, List<Endpoint>>();
        byReplica.forEach((key, e) -> out.computeIfAbsent(service.get(key), k -> new ArrayList<>()).add(e));
        return out;
    }

    private void publishDns(Protocol.Desired v, Map<String, List<Endpoint>> members) {
        var now = new HashSet<String>();
        for (Protocol.Entry e : v.directory()) {
            now.add(e.service());
            List<Endpoint> eps = members.getOrDefault(e.service(), List.of());
            dns.all().forEach(d -> d.update(e.service(), e.address(), eps));
        }
        for (String gone : named) {
            if (!now.contains(gone)) {
                dns.all().forEach(d -> d.remove(gone));
            }
        }
        named.clear();
        named.addAll(now);
    }

    /** Each service's TCP ports at its stable address, to its serving replicas anywhere. */
    private void publishAddresses(Protocol.Desired v, Map<String, List<Endpoint>> members) {
        var now = new HashSet<String>();
        for (Protocol.Entry e : v.directory()) {
            for (int port : e.ports()) {
                List<Endpoint> backends = members.getOrDefault(e.service(), List.of()).stream()
                        .map(m -> new Endpoint(m.replica(), m.host(), port)).toList();
                try {
                    internal.computeIfAbsent(e.address(), a -> balancers.get())
                            .publish(e.service(), "tcp", e.address(), port, backends, policies.named(e.loadBalancer()));
                    now.add(e.address() + ":" + port);
                } catch (OrchestratorException ex) {
                    LOG.log(Level.WARNING, "cannot serve " + e.service() + " at " + e.address() + ":" + port + ": "
                            + ex.getMessage());
                }
            }
        }
        for (String key : served) {
            if (!now.contains(key)) {
                int colon = key.lastIndexOf(':');
                LoadBalancer lb = internal.get(key.substring(0, colon));
                if (lb != null) {
                    lb.unpublish("tcp", Integer.parseInt(key.substring(colon + 1)));
                }
            }
        }
        served.clear();
        served.addAll(now);
        // An address no service has any more: its load balancer goes (a service's address never changes).
        var addresses = new HashSet<String>();
        v.directory().forEach(e -> addresses.add(e.address()));
        internal.entrySet().removeIf(en -> {
            if (addresses.contains(en.getKey())) {
                return false;
            }
            en.getValue().close();
            return true;
        });
    }

    /** Removes this node's managed Docker networks that it has no subnet for and no container on. */
    private void pruneNetworks(Protocol.Desired v) {
        var mine = new HashSet<String>();
        v.subnets().stream().filter(s -> s.node().equals(node)).forEach(s -> mine.add(NETWORK_PREFIX + s.network()));
        // Every view would list and inspect the networks (a deploy's view too, beside its
        // create): only when this node's networks changed, or one to remove was still in use.
        if (mine.equals(prunedFor) && !pruneLeft) {
            return;
        }
        List<NetworkRuntime.Network> present = runtime.networks(Map.of(Labels.CLUSTER, cluster));
        prunedFor = mine;
        pruneLeft = false;
        var ids = new HashSet<String>();
        present.forEach(n -> ids.add(n.id()));
        chosen.values().removeIf(id -> !ids.contains(id));
        for (NetworkRuntime.Network n : present) {
            if (!mine.contains(n.name()) && !n.containers().isEmpty()) {
                pruneLeft = true; // its containers go first: look again with the next view
            }
            if (!mine.contains(n.name()) && n.containers().isEmpty()) {
                synchronized (lock) {
                    try {
                        chosen.values().remove(n.id());
                        runtime.removeNetwork(n.id());
                        LOG.log(Level.INFO, "network " + n.name() + " removed from " + node + ": unused");
                    } catch (OrchestratorException e) {
                        pruneLeft = true;
                        LOG.log(Level.DEBUG, "network " + n.name() + " stays: " + e.getMessage());
                    }
                }
            }
        }
    }

    /** The last node of the cluster here leaves no networks behind. */
    private void removeEmptyNetworks() {
        try {
            for (NetworkRuntime.Network n : runtime.networks(Map.of(Labels.CLUSTER, cluster))) {
                if (n.containers().isEmpty()) {
                    runtime.removeNetwork(n.id());
                }
            }
        } catch (OrchestratorException e) {
            LOG.log(Level.DEBUG, "networks left: " + e.getMessage());
        }
    }

    /** The host's share: addresses, routes to other nodes' subnets, rules. */
    HostNetwork.Plan plan(Protocol.Desired v) {
        var addresses = new TreeSet<String>();
        if (v.dnsAddress() != null) {
            addresses.add(v.dnsAddress());
        }
        v.directory().forEach(e -> addresses.add(e.address()));
        var routes = new TreeMap<String, String>();
        var forwards = new TreeMap<String, Set<String>>();
        var keep = new TreeMap<String, Set<String>>();
        var managed = new TreeSet<String>();
        var byNetwork = new HashMap<String, List<Protocol.Subnet>>();
        for (Protocol.Subnet s : v.subnets()) {
            managed.add(s.subnet());
            byNetwork.computeIfAbsent(s.network(), k -> new ArrayList<>()).add(s);
        }
        String own = v.subnets().stream().filter(s -> s.node().equals(node)).map(Protocol.Subnet::address)
                .findFirst().orElse(null);
        for (Protocol.Subnet s : v.subnets()) {
            if (!s.node().equals(node) && routable(s.address(), own)) {
                routes.put(s.subnet(), s.address());
            }
        }
        var peers = new TreeSet<String>();
        v.subnets().stream().filter(s -> !s.node().equals(node) && routable(s.address(), own))
                .forEach(s -> peers.add(s.address()));
        for (Protocol.Subnet local : v.subnets()) {
            if (!local.node().equals(node)) {
                continue;
            }
            var sources = new TreeSet<>(peers);
            var remotes = new TreeSet<String>();
            byNetwork.get(local.network()).stream().filter(s -> !s.node().equals(node))
                    .forEach(s -> sources.add(s.subnet()));
            managed.stream().filter(m -> !m.equals(local.subnet())).forEach(remotes::add);
            forwards.put(local.subnet(), sources);
            keep.put(local.subnet(), remotes);
        }
        var vips = new TreeMap<String, Set<String>>();
        for (Protocol.Entry e : v.directory()) {
            var allowed = new TreeSet<String>();
            e.networks().forEach(n -> byNetwork.getOrDefault(n, List.of()).forEach(s -> allowed.add(s.subnet())));
            vips.put(e.address(), allowed);
        }
        return new HostNetwork.Plan(addresses, routes, forwards, vips, managed, keep);
    }

    /** Another node's address is a next hop only if it is a real, different address. */
    private static boolean routable(String address, String own) {
        return address != null && !address.equals(own) && !address.startsWith("127.") && !address.equals("0.0.0.0")
                && address.matches("[0-9.]+");
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the worker, the DNS and the internal load balancer. The host's routes and rules
     * stay while containers of this cluster run here (they keep serving across a restart of
     * the node), and go with the last one.
     *
     * @param anyRunning whether managed containers still run on this node
     */
    void close(boolean anyRunning) {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        Thread w = worker;
        if (w != null) {
            w.interrupt();
        }
        dns.close();
        internal.values().forEach(LoadBalancer::close);
        if (!anyRunning) {
            host.clear();
            removeEmptyNetworks();
        }
    }

    @Override
    public void close() {
        close(true);
    }
}
