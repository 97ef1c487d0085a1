package dev.orchestrator.orchestration;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.PortMapping;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.spi.ContainerDetails;
import dev.orchestrator.api.spi.Endpoint;
import dev.orchestrator.store.Health;
import dev.orchestrator.store.ServiceRecord;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the node's load balancer in step with the services: each published port routes to
 * the service's running (with a health check: healthy) replicas on this node and on every
 * other node, old and new revisions alike during a rolling update, so no connection finds the
 * port without a backend; ports no longer published are released.
 */
final class Published implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Published.class.getName());
    private final LocalNode node;
    private final HealthMonitor monitor;
    private final RemoteBackends remote;
    private final Map<String, Set<String>> byService = new ConcurrentHashMap<>();
    /** Per service with published ports: its balancing policy's name. */
    private final Map<String, String> policyOf = new ConcurrentHashMap<>();
    /** Per service: the published ports and the containers at the last update. */
    private final Map<String, Local> local = new ConcurrentHashMap<>();
    /** Containers taken out of service before they stop (never a backend again), with when. */
    private final Map<String, Long> withdrawn = new ConcurrentHashMap<>();

    /** Per service: its containers and networks at the last update, for its members. */
    private final Map<String, Local> all = new ConcurrentHashMap<>();
    private volatile Runnable onMembers = () -> { };
    /** Per service: the members last announced. */
    private final Map<String, List<Backend>> lastMembers = new ConcurrentHashMap<>();

    private record Local(List<PortMapping> ports, List<ContainerDetails> containers, boolean checked,
                         List<String> networks) {
    }

    Published(LocalNode node, HealthMonitor monitor, RemoteBackends remote) {
        this.node = node;
        this.monitor = monitor;
        this.remote = remote;
    }

    void update(String service, Optional<ServiceRecord> desired, List<ContainerDetails> containers) {
        List<PortMapping> ports = desired.map(d -> d.spec().ports()).orElse(List.of()).stream()
                .filter(PortMapping::published).toList();
        boolean checked = desired.map(d -> d.spec().healthCheck() != null).orElse(false);
        var l = new Local(ports, List.copyOf(containers), checked,
                desired.map(d -> d.spec().effectiveNetworks()).orElse(List.of()));
        all.compute(service, (k, v) -> desired.isEmpty() ? null : l);
        List<Backend> now = members(service, l);
        // Compared with what was last announced: health may have changed since, with the same containers.
        List<Backend> announced = desired.isEmpty() ? lastMembers.remove(service) : lastMembers.put(service, now);
        boolean membersChanged = !now.equals(announced == null ? List.of() : announced);
        if (ports.isEmpty()) {
            local.remove(service);
            policyOf.remove(service);
        } else {
            local.put(service, l);
            policyOf.put(service, desired.orElseThrow().spec().effectiveLoadBalancer());
        }
        publish(service, ports, backends(service, l));
        if (membersChanged) {
            onMembers.run();
        }
    }

    /** @param listener called (on a reconciler thread, quickly) when this node's members change */
    void onMembersChanged(Runnable listener) {
        onMembers = listener;
    }

    /**
     * This node's serving replicas' addresses on their managed networks, ordered as each
     * service lists its networks: the DNS and the internal load balancers' backends.
     *
     * @return one backend per serving replica and network
     */
    List<Backend> members() {
        var out = new ArrayList<Backend>();
        all.forEach((service, l) -> out.addAll(members(service, l)));
        return out;
    }

    private List<Backend> members(String service, Local l) {
        var out = new ArrayList<Backend>();
        for (ContainerDetails c : l.containers()) {
            if (!c.running() || !serving(c, l.checked())) {
                continue;
            }
            int index = Labels.index(c.labels()).orElse(-1);
            for (String net : l.networks()) {
                String ip = c.addresses().get(Attachments.NETWORK_PREFIX + net);
                if (ip != null) {
                    out.add(new Backend(service, 0, "tcp", new Endpoint(Containers.replicaName(service, index), ip, 0),
                            net));
                }
            }
        }
        return out;
    }

    /**
     * @param checked whether the service's current revision has a health check: what counts for
     *                a container that does not say whether its own revision had one
     */
    private boolean serving(ContainerDetails c, boolean checked) {
        return !withdrawn.containsKey(c.id())
                && (!Labels.hasHealthCheck(c.labels(), checked)
                    || monitor.health(c.id()).filter(Health.HEALTHY::equals).isPresent());
    }

    /**
     * A new container of a rolling update is ready: it serves now, before the old one it
     * replaces is withdrawn, so a single-replica service never has a port without a backend.
     * Called inside the service's pass.
     *
     * @param service   its service
     * @param container the new container, inspected after its start
     */
    void admit(String service, ContainerDetails container) {
        Local l = local.get(service);
        if (l != null && l.containers().stream().noneMatch(c -> c.id().equals(container.id()))) {
            Local more = with(l, container);
            local.put(service, more);
            publish(service, more.ports(), backends(service, more));
        }
        Local a = all.get(service);
        if (a != null && a.containers().stream().noneMatch(c -> c.id().equals(container.id()))) {
            Local more = with(a, container);
            all.put(service, more);
            List<Backend> now = members(service, more);
            if (!now.equals(lastMembers.put(service, now))) {
                onMembers.run();
            }
        }
    }

    private static Local with(Local l, ContainerDetails c) {
        var containers = new ArrayList<>(l.containers());
        containers.add(c);
        return new Local(l.ports(), List.copyOf(containers), l.checked(), l.networks());
    }

    /**
     * Takes a container out of service: no new connection goes to it from this node, and the
     * other nodes learn it with the next heartbeat.
     *
     * @param service     its service
     * @param containerId the container
     * @return true if it was a backend of a published port
     */
    boolean withdraw(String service, String containerId) {
        long now = System.nanoTime();
        // A withdrawn container is gone within its stop grace; ten minutes is plenty.
        withdrawn.values().removeIf(t -> now - t > java.util.concurrent.TimeUnit.MINUTES.toNanos(10));
        withdrawn.put(containerId, now);
        Local m = all.get(service);
        if (m != null && m.containers().stream().anyMatch(c -> c.id().equals(containerId))) {
            lastMembers.put(service, members(service, m));
            onMembers.run(); // it leaves DNS and the service address before it stops
        }
        Local l = local.get(service);
        if (l == null || l.containers().stream().noneMatch(c -> c.id().equals(containerId))) {
            return false;
        }
        publish(service, l.ports(), backends(service, l));
        return true;
    }

    /** Re-publishes every port with the latest remote backends. */
    void refreshAll() {
        local.forEach((service, l) -> publish(service, l.ports(), backends(service, l)));
    }

    /** @return this node's healthy backends of every published port */
    List<Backend> localBackends() {
        var out = new ArrayList<Backend>();
        local.forEach((service, l) -> out.addAll(backends(service, l)));
        out.addAll(members());
        return out;
    }

    private List<Backend> backends(String service, Local l) {
        var out = new ArrayList<Backend>();
        l.ports().forEach(p -> out.addAll(backends(service, p, l.containers(), l.checked())));
        return out;
    }

    private synchronized void publish(String service, List<PortMapping> ports, List<Backend> mine) {
        Set<String> wanted = new HashSet<>();
        for (PortMapping p : ports) {
            wanted.add(key(p));
            var endpoints = new ArrayList<Endpoint>();
            mine.stream().filter(b -> b.containerPort() == p.containerPort() && b.protocol().equals(p.protocol()))
                    .forEach(b -> endpoints.add(b.endpoint()));
            endpoints.addAll(remote.of(service, p.containerPort(), p.protocol()));
            try {
                node.loadBalancer().publish(service, p.protocol(), node.ingressAddress(), p.hostPort(), endpoints,
                        node.policies().named(policyOf.getOrDefault(service, ServiceSpec.DEFAULT_POLICY)));
            } catch (OrchestratorException e) {
                LOG.log(Level.WARNING, "cannot publish " + key(p) + " for " + service + ": " + e.getMessage());
            }
        }
        Set<String> before = byService.getOrDefault(service, Set.of());
        for (String k : before) {
            if (!wanted.contains(k)) {
                String[] parts = k.split("/");
                node.loadBalancer().unpublish(parts[1], Integer.parseInt(parts[0]));
            }
        }
        if (wanted.isEmpty()) {
            byService.remove(service);
        } else {
            byService.put(service, wanted);
        }
    }

    /** Running replicas; with a health check, only the healthy ones get traffic. */
    private List<Backend> backends(String service, PortMapping p, List<ContainerDetails> containers,
                                   boolean checked) {
        var out = new ArrayList<Backend>();
        for (ContainerDetails c : containers) {
            int hostPort = Containers.hostPort(c, p.containerPort(), p.protocol());
            boolean serving = serving(c, checked);
            if (c.running() && hostPort > 0 && serving) {
                int index = Labels.index(c.labels()).orElse(-1);
                out.add(new Backend(service, p.containerPort(), p.protocol(),
                        new Endpoint(Containers.replicaName(service, index), node.replicaAddress(), hostPort)));
            }
        }
        return out;
    }

    private static String key(PortMapping p) {
        return p.hostPort() + "/" + p.protocol();
    }

    @Override
    public void close() {
        node.loadBalancer().close();
    }
}
