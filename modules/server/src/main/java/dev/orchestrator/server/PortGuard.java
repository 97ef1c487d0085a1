package dev.orchestrator.server;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.PortMapping;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.store.ServiceRecord;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;

/**
 * Refuses, before anything is stored, a deploy whose published port is taken: by the API
 * itself, by another service, or by another program on the node. (Checking first is what
 * keeps a taken port from leaving a half-started service behind.)
 */
final class PortGuard {
    private PortGuard() {
    }

    static void check(ServiceSpec spec, Optional<ServiceRecord> current, List<ServiceRecord> all, int apiPort,
                      String ingressAddress) {
        for (PortMapping p : spec.ports()) {
            if (!p.published()) {
                continue;
            }
            if (!p.protocol().equals("tcp")) {
                throw OrchestratorException.invalid("ports: publishing " + p.protocol() + " is not supported (port "
                        + p.hostPort() + "); only tcp ports are published through the load balancer");
            }
            if (p.hostPort() == apiPort) {
                throw conflict(p, "the orchestrator's API listens there");
            }
            for (ServiceRecord other : all) {
                if (!other.name().equals(spec.name()) && publishes(other.spec(), p)) {
                    throw conflict(p, "service " + other.name() + " publishes it");
                }
            }
            if (current.map(c -> !publishes(c.spec(), p)).orElse(true)) {
                requireFree(p, ingressAddress);
            }
        }
    }

    private static boolean publishes(ServiceSpec s, PortMapping p) {
        return s.ports().stream().anyMatch(o -> o.published() && o.hostPort() == p.hostPort()
                && o.protocol().equals(p.protocol()));
    }

    private static void requireFree(PortMapping p, String address) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(address, p.hostPort()));
        } catch (IOException e) {
            throw conflict(p, "another program on this node listens there");
        }
    }

    private static OrchestratorException conflict(PortMapping p, String why) {
        return new OrchestratorException(ErrorCode.CONFLICT, "published port " + p.hostPort() + "/" + p.protocol()
                + " is not available: " + why);
    }
}
