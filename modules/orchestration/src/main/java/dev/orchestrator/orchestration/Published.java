package dev.orchestrator.orchestration;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.PortMapping;
import dev.orchestrator.api.spi.ContainerDetails;
import dev.orchestrator.api.spi.Endpoint;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import dev.orchestrator.store.ServiceRecord;

/**
 * Keeps the node's load balancer in step with the services: each published port routes to
 * the service's running (with a health check: healthy) replicas, old and new revisions alike
 * during a rolling update, so no connection finds the port without a backend; ports no longer
 * published are released.
 */
final class Published implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Published.class.getName());
    private final LocalNode node;
    private final Map<String, Set<String>> byService = new ConcurrentHashMap<>();
    private final HealthMonitor monitor;

    Published(LocalNode node, HealthMonitor monitor) {
        this.node = node;
        this.monitor = monitor;
    }

    void update(String service, Optional<ServiceRecord> desired, List<ContainerDetails> containers) {
        Set<String> wanted = new HashSet<>();
        for (PortMapping p : desired.map(d -> d.spec().ports()).orElse(List.of())) {
            if (!p.published()) {
                continue;
            }
            wanted.add(key(p));
            try {
                boolean checked = desired.get().spec().healthCheck() != null;
                node.loadBalancer().publish(service, p.protocol(), node.ingressAddress(), p.hostPort(),
                        backends(service, p, containers, checked));
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
    private List<Endpoint> backends(String service, PortMapping p, List<ContainerDetails> containers,
                                    boolean checked) {
        var out = new ArrayList<Endpoint>();
        for (ContainerDetails c : containers) {
            int hostPort = Containers.hostPort(c, p.containerPort(), p.protocol());
            boolean serving = !checked || monitor.health(c.id()).filter("healthy"::equals).isPresent();
            if (c.running() && hostPort > 0 && serving) {
                int index = Labels.index(c.labels()).orElse(-1);
                out.add(new Endpoint(Containers.replicaName(service, index), node.replicaAddress(), hostPort));
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
