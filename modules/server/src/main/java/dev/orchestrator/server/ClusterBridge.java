package dev.orchestrator.server;

import dev.orchestrator.cluster.LogFanIn;
import dev.orchestrator.cluster.LogQuery;
import dev.orchestrator.app.ClusterHooks;
import dev.orchestrator.kernel.Probes;
import dev.orchestrator.store.ReplicaRecord;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;

/** The use cases' view of the cluster, over the server's {@link Cluster}: a thin adapter. */
final class ClusterBridge implements ClusterHooks {
    private final Cluster cluster;
    private final Probes probes;
    private final String ingressAddress;
    private final IntSupplier apiPort;
    private final String ownNode;

    /**
     * @param cluster        the cluster
     * @param probes         the installed probes
     * @param ingressAddress where published ports listen
     * @param apiPort        the API's port (known once the web server listens)
     * @param ownNode        the name of the server's own node (shown as {@code local}), or null
     */
    private final String caPin;

    ClusterBridge(Cluster cluster, Probes probes, String ingressAddress, IntSupplier apiPort, String ownNode) {
        this(cluster, probes, ingressAddress, apiPort, ownNode, null);
    }

    ClusterBridge(Cluster cluster, Probes probes, String ingressAddress, IntSupplier apiPort, String ownNode,
                  String caPin) {
        this.caPin = caPin;
        this.ownNode = ownNode;
        this.cluster = cluster;
        this.probes = probes;
        this.ingressAddress = ingressAddress;
        this.apiPort = apiPort;
    }

    @Override
    public void desiredStateChanged(String service) {
        cluster.changed(service);
    }

    @Override
    public void availabilityChanged(String node) {
        cluster.gateway().nodeChanged(node);
        cluster.reassignAndWait();
    }

    @Override
    public void registriesChanged() {
        cluster.gateway().desiredStateChanged();
    }

    @Override
    public boolean imageAvailable(String image) {
        return cluster.imagePresent(image);
    }

    @Override
    public void requireProbe(String type) {
        probes.require(type);
    }

    @Override
    public void requireStrategy(String name) {
        cluster.requireStrategy(name);
    }

    @Override
    public void requireBalancingPolicy(String name) {
        cluster.requireBalancingPolicy(name);
    }

    @Override
    public int apiPort() {
        return apiPort.getAsInt();
    }

    @Override
    public boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(ingressAddress, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String localNode() {
        return ownNode;
    }

    @Override
    public Optional<NodeUsage> usage(String node) {
        return cluster.gateway().registry().usage(node)
                .map(u -> new NodeUsage(u.containers(), u.load1(), u.memoryAvailableBytes()));
    }

    @Override
    public Optional<String> engineProblem(String node) {
        return cluster.gateway().registry().engineProblem(node);
    }

    @Override
    public Optional<java.time.Instant> lastSeen(String node) {
        return cluster.gateway().registry().lastSeen(node);
    }

    @Override
    public LogFanIn.Read readLogs(LogQuery query) {
        return cluster.readLogs(query);
    }

    @Override
    public AutoCloseable followLogs(LogQuery query, LogFanIn.Sink sink) {
        return cluster.followLogs(query, sink);
    }

    @Override
    public java.util.Optional<String> caPin() {
        return java.util.Optional.ofNullable(caPin);
    }
}
