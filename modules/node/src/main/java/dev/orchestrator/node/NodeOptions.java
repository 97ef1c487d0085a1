package dev.orchestrator.node;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Validation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a node runs, whether it is an agent or the server's own node.
 *
 * @param name             the node name
 * @param advertiseAddress the address other nodes and the server reach this node at; replicas'
 *                         host ports bind to it
 * @param ingressAddress   the address published service ports listen on
 * @param dataDir          where the node keeps its mirror of the desired state and its identity
 * @param cpus             CPUs to offer, 0 for what the runtime reports
 * @param memoryBytes      memory to offer, 0 for what the runtime reports
 * @param labels           node labels for placement constraints
 * @param heartbeat        time between reports when nothing changes
 * @param runtime          the runtime driver plugin, null for the highest-weight one
 * @param loadBalancer     the load-balancer plugin, null for the highest-weight one
 * @param logs             how much of its containers\' output the node keeps, per service
 */
public record NodeOptions(String name, String advertiseAddress, String ingressAddress, Path dataDir, int cpus,
                          long memoryBytes, Map<String, String> labels, Duration heartbeat, String runtime,
                          String loadBalancer, LogRetention logs) {
    /** Validates; null {@code logs} are {@link LogRetention#DEFAULT}. */
    public NodeOptions {
        logs = logs == null ? LogRetention.DEFAULT : logs;
        Validation.dnsLabel("--name", name);
        Objects.requireNonNull(advertiseAddress, "advertiseAddress");
        Objects.requireNonNull(ingressAddress, "ingressAddress");
        Objects.requireNonNull(dataDir, "dataDir");
        if (cpus < 0 || memoryBytes < 0) {
            throw OrchestratorException.invalid("--cpus and --memory must not be negative");
        }
        labels = Map.copyOf(labels);
        labels.forEach((k, v) -> Validation.dnsLabel("label key", k));
        Objects.requireNonNull(heartbeat, "heartbeat");
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw OrchestratorException.invalid("the heartbeat interval must be positive");
        }
        if (runtime != null) {
            Validation.dnsLabel("--runtime", runtime);
        }
        if (loadBalancer != null) {
            Validation.dnsLabel("--load-balancer", loadBalancer);
        }
    }
}
