package dev.orchestrator.node;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Validation;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How {@code orchestrator agent} runs.
 *
 * @param server           the server's base URL, e.g. {@code http://10.0.0.1:8080}
 * @param token            the join token
 * @param name             the node name
 * @param advertiseAddress the address other nodes and the server reach this node at; replicas'
 *                         host ports bind to it
 * @param port             the port of the agent's own endpoint (logs), 0 for an ephemeral one
 * @param ingressAddress   the address published service ports listen on
 * @param dataDir          where the mirror of the desired state is kept
 * @param pluginsDir       where drop-in plugins are found
 * @param cpus             CPUs to offer, 0 for what the runtime reports
 * @param memoryBytes      memory to offer, 0 for what the runtime reports
 * @param labels           node labels for placement constraints
 * @param heartbeat        time between heartbeats
 * @param runtime          the runtime driver plugin, or null for the highest-weight one
 * @param loadBalancer     the load balancer plugin, or null for the highest-weight one
 * @param logs             how much of its containers\' output the node keeps, or null for the default
 * @param caCert           PEM certificates an {@code https} server must be certified by, or null for
 *                         the JDK's default CAs
 */
public record AgentOptions(URI server, String token, String name, String advertiseAddress, int port,
                           String ingressAddress, Path dataDir, Path pluginsDir, int cpus, long memoryBytes,
                           Map<String, String> labels, Duration heartbeat, String runtime, String loadBalancer,
                           LogRetention logs, Path caCert) {
    /** As the canonical constructor, trusting the JDK's default CAs for an https server. */
    public AgentOptions(URI server, String token, String name, String advertiseAddress, int port,
                        String ingressAddress, Path dataDir, Path pluginsDir, int cpus, long memoryBytes,
                        Map<String, String> labels, Duration heartbeat, String runtime, String loadBalancer,
                        LogRetention logs) {
        this(server, token, name, advertiseAddress, port, ingressAddress, dataDir, pluginsDir, cpus, memoryBytes,
                labels, heartbeat, runtime, loadBalancer, logs, null);
    }

    /** Validates. */
    public AgentOptions {
        Objects.requireNonNull(server, "server");
        if (!"http".equals(server.getScheme()) && !"https".equals(server.getScheme()) || server.getHost() == null) {
            throw OrchestratorException.invalid("--server must be an http:// or https:// URL, got '" + server + "'");
        }
        if (token == null || token.isBlank()) {
            throw OrchestratorException.invalid("--token is required (print one on the server: orchestrator token)");
        }
        if (port != 0) {
            Validation.port("--port", port);
        }
        Objects.requireNonNull(pluginsDir, "pluginsDir");
        labels = Map.copyOf(labels);
        // The node's own options check the rest, the same for an agent as for the server's node.
        new NodeOptions(name, advertiseAddress, ingressAddress, dataDir, cpus, memoryBytes, labels, heartbeat,
                runtime, loadBalancer, logs);
    }

    /** @return the options with the join token left out: it is a secret, never printed or logged */
    @Override
    public String toString() {
        return "AgentOptions[server=" + server + ", token=***, name=" + name + ", advertiseAddress=" + advertiseAddress
                + ", port=" + port + ", ingressAddress=" + ingressAddress + ", dataDir=" + dataDir + ", pluginsDir="
                + pluginsDir + ", cpus=" + cpus + ", memoryBytes=" + memoryBytes + ", labels=" + labels
                + ", heartbeat=" + heartbeat + ", runtime=" + runtime + ", loadBalancer=" + loadBalancer + ", logs=" + logs
                + ", caCert=" + caCert + "]";
    }

    /** @return the options of the node this agent runs */
    public NodeOptions node() {
        return new NodeOptions(name, advertiseAddress, ingressAddress, dataDir, cpus, memoryBytes, labels, heartbeat,
                runtime, loadBalancer, logs);
    }
}
