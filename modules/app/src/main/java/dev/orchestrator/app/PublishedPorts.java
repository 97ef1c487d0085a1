package dev.orchestrator.app;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.PortMapping;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.store.ServiceRecord;
import java.util.List;
import java.util.Optional;

/**
 * Refuses, before anything is stored, a deploy whose published port is taken: by the API
 * itself, by another service, or by another program on the node. (Checking first is what
 * keeps a taken port from leaving a half-started service behind.)
 */
final class PublishedPorts {
    private PublishedPorts() {
    }

    static void check(ServiceSpec spec, Optional<ServiceRecord> current, List<ServiceRecord> all, ClusterHooks hooks) {
        for (PortMapping p : spec.ports()) {
            if (!p.published()) {
                continue;
            }
            if (!p.protocol().equals("tcp")) {
                throw OrchestratorException.invalid("ports: publishing " + p.protocol() + " is not supported (port "
                        + p.hostPort() + "); only tcp ports are published through the load balancer");
            }
            if (p.hostPort() == hooks.apiPort()) {
                throw conflict(p, "the orchestrator's API listens there");
            }
            for (ServiceRecord other : all) {
                if (!other.name().equals(spec.name()) && publishes(other.spec(), p)) {
                    throw conflict(p, "service " + other.name() + " publishes it");
                }
            }
            // A port the service already publishes is held by its own load balancer.
            if (current.map(c -> !publishes(c.spec(), p)).orElse(true) && !hooks.portFree(p.hostPort())) {
                throw conflict(p, "another program on this node listens there");
            }
        }
    }

    private static boolean publishes(ServiceSpec s, PortMapping p) {
        return s.ports().stream().anyMatch(o -> o.published() && o.hostPort() == p.hostPort()
                && o.protocol().equals(p.protocol()));
    }

    private static OrchestratorException conflict(PortMapping p, String why) {
        return new OrchestratorException(ErrorCode.CONFLICT, "published port " + p.hostPort() + "/" + p.protocol()
                + " is not available: " + why);
    }
}
