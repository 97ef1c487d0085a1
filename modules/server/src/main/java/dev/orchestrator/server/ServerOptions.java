package dev.orchestrator.server;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Validation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How {@code orchestrator server} runs.
 *
 * @param bindAddress    the address the REST API listens on
 * @param port           the REST API port, 0 for an ephemeral one
 * @param dataDir        where state is kept
 * @param pluginsDir     where drop-in plugins are found
 * @param nodeName       the name of the server's own node
 * @param address        the address the local node is reached at by other nodes; its replicas'
 *                       host ports bind to it
 * @param localNode      false to run no containers here (a pure control plane)
 * @param ingressAddress the address published service ports listen on
 * @param cpus           CPUs the local node offers, 0 for what the runtime reports
 * @param memoryBytes    memory the local node offers, 0 for what the runtime reports
 * @param labels         the local node's labels
 * @param nodeTimeout    how long without a heartbeat makes an agent's node down
 * @param scheduler      the scheduler strategy of services that name none
 * @param cpuOvercommit  CPU shares a node accepts per share of its CPUs (Docker's shares are
 *                       relative weights, not partitions), 1..64
 * @param runtime        the local node's runtime driver plugin, or null for the highest-weight one
 * @param loadBalancer   the local node's load balancer plugin, or null for the highest-weight one
 * @param events         how many events are kept, and how long
 * @param logs           how much of its containers\' output the local node keeps, or null for the default
 * @param tls            the API's HTTPS certificate, or null for plain HTTP
 * @param clusterPort    the port nodes reach the server at over TLS certified by the cluster CA
 *                       (0 for an ephemeral one), or {@link #CLUSTER_TLS_OFF}: nodes then use the
 *                       API's port and its scheme
 */
public record ServerOptions(String bindAddress, int port, Path dataDir, Path pluginsDir, String nodeName,
                            String address, boolean localNode, String ingressAddress, int cpus, long memoryBytes,
                            Map<String, String> labels, Duration nodeTimeout, String scheduler,
                            double cpuOvercommit, String runtime, String loadBalancer,
                            dev.orchestrator.app.EventRetention events, dev.orchestrator.node.LogRetention logs,
                            TlsFiles tls, int clusterPort) {
    /** {@link #clusterPort} of a server whose nodes use the API's port (and its scheme). */
    public static final int CLUSTER_TLS_OFF = -1;
    /** The default {@link #clusterPort} of {@code orchestrator server}. */
    public static final int DEFAULT_CLUSTER_PORT = 7443;

    /**
     * The certificate the API serves HTTPS with (and agents reach it over), in PEM files.
     *
     * @param certChain the server's certificate, then its issuers' (PEM)
     * @param key       its private key (PKCS#8 PEM, unencrypted)
     */
    public record TlsFiles(Path certChain, Path key) {
        /** Requires both. */
        public TlsFiles {
            Objects.requireNonNull(certChain, "certChain");
            Objects.requireNonNull(key, "key");
        }
    }

    /** As the canonical constructor, nodes using the API's port. */
    public ServerOptions(String bindAddress, int port, Path dataDir, Path pluginsDir, String nodeName,
                         String address, boolean localNode, String ingressAddress, int cpus, long memoryBytes,
                         Map<String, String> labels, Duration nodeTimeout, String scheduler,
                         double cpuOvercommit, String runtime, String loadBalancer,
                         dev.orchestrator.app.EventRetention events, dev.orchestrator.node.LogRetention logs,
                         TlsFiles tls) {
        this(bindAddress, port, dataDir, pluginsDir, nodeName, address, localNode, ingressAddress, cpus, memoryBytes,
                labels, nodeTimeout, scheduler, cpuOvercommit, runtime, loadBalancer, events, logs, tls, CLUSTER_TLS_OFF);
    }

    /** As the canonical constructor, serving plain HTTP, nodes using the API's port. */
    public ServerOptions(String bindAddress, int port, Path dataDir, Path pluginsDir, String nodeName,
                         String address, boolean localNode, String ingressAddress, int cpus, long memoryBytes,
                         Map<String, String> labels, Duration nodeTimeout, String scheduler,
                         double cpuOvercommit, String runtime, String loadBalancer,
                         dev.orchestrator.app.EventRetention events, dev.orchestrator.node.LogRetention logs) {
        this(bindAddress, port, dataDir, pluginsDir, nodeName, address, localNode, ingressAddress, cpus, memoryBytes,
                labels, nodeTimeout, scheduler, cpuOvercommit, runtime, loadBalancer, events, logs, null);
    }

    /** Validates ports, names and sizes; requires the rest ({@code tls} may be null: plain HTTP). */
    public ServerOptions {
        Objects.requireNonNull(bindAddress, "bindAddress");
        logs = logs == null ? dev.orchestrator.node.LogRetention.DEFAULT : logs;
        if (port != 0) {
            Validation.port("--port", port);
        }
        if (clusterPort != 0 && clusterPort != CLUSTER_TLS_OFF) {
            Validation.port("--cluster-port", clusterPort);
            if (clusterPort == port) {
                throw OrchestratorException.invalid("--cluster-port must differ from --port (" + port + ")");
            }
        }
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(pluginsDir, "pluginsDir");
        Validation.dnsLabel("--node-name", nodeName);
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(ingressAddress, "ingressAddress");
        if (cpus < 0 || memoryBytes < 0) {
            throw OrchestratorException.invalid("--cpus and --memory must not be negative");
        }
        labels = Map.copyOf(labels);
        labels.keySet().forEach(k -> Validation.dnsLabel("--label key", k));
        if (nodeTimeout.toMillis() < 1000 || nodeTimeout.toMinutes() > 10) {
            throw OrchestratorException.invalid("--node-timeout must be between 1s and 10m, got "
                    + Validation.format(nodeTimeout));
        }
        Validation.dnsLabel("--scheduler", scheduler);
        if (!(cpuOvercommit >= 1 && cpuOvercommit <= 64)) {
            throw OrchestratorException.invalid("--cpu-overcommit must be between 1 and 64, got " + cpuOvercommit);
        }
        if (runtime != null) {
            Validation.dnsLabel("--runtime", runtime);
        }
        if (loadBalancer != null) {
            Validation.dnsLabel("--load-balancer", loadBalancer);
        }
        Objects.requireNonNull(events, "events");
    }

    /** Default {@link #cpuOvercommit}: four replicas of 1024 shares per CPU before "insufficient cpu". */
    public static final double DEFAULT_CPU_OVERCOMMIT = 4.0;

    /**
     * The defaults of {@code orchestrator server}, for tests and embedding.
     *
     * @param dataDir    where state is kept
     * @param pluginsDir where drop-in plugins are found
     * @param port       the API port, 0 for an ephemeral one
     * @return the options
     */
    public static ServerOptions defaults(Path dataDir, Path pluginsDir, int port) {
        return new ServerOptions("127.0.0.1", port, dataDir, pluginsDir, "local", "127.0.0.1", true, "0.0.0.0", 0, 0,
                Map.of(), Duration.ofSeconds(5), "spread", DEFAULT_CPU_OVERCOMMIT, null, null,
                dev.orchestrator.app.EventRetention.DEFAULT, null);
    }
}
