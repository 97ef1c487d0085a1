package dev.orchestrator.app;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.cluster.LogFanIn;
import dev.orchestrator.cluster.LogQuery;
import dev.orchestrator.store.ReplicaRecord;
import java.util.List;
import java.util.Optional;

/**
 * What the use cases need from the cluster side (placement, the nodes, the installed plugins),
 * and nothing more. The server implements it over its {@code Cluster}; tests record the calls.
 *
 * <p>The notifications are called after the store transaction has committed, from the thread
 * of the use case; they must not throw for the change to count (it is stored either way, and
 * the cluster's own timer catches up).
 */
public interface ClusterHooks {
    /**
     * A service's desired state changed (deployed, scaled, removed): place, then converge.
     *
     * @param service the service
     */
    void desiredStateChanged(String service);

    /**
     * A node's availability changed (cordoned, uncordoned, drained): place again now.
     *
     * @param node the node
     */
    void availabilityChanged(String node);

    /**
     * The registry credentials changed (set or removed): the nodes' views of the desired state,
     * which carry the credentials of the registries their images come from, are rebuilt.
     */
    void registriesChanged();

    /**
     * @param image an image reference
     * @return false only if the image is surely missing where it would run
     */
    boolean imageAvailable(String image);

    /**
     * @param type a probe type (a health check's {@code type})
     * @throws OrchestratorException {@code INVALID_ARGUMENT} naming the installed ones, if it is not installed
     */
    void requireProbe(String type);

    /**
     * @param name a scheduler strategy
     * @throws OrchestratorException {@code INVALID_ARGUMENT} naming the installed ones, if it is not installed
     */
    void requireStrategy(String name);

    /**
     * @param name a balancing policy (a service's {@code load_balancer})
     * @throws OrchestratorException {@code INVALID_ARGUMENT} naming the installed ones, if it is not installed
     */
    void requireBalancingPolicy(String name);

    /** @return the port the API listens on, which no service may publish */
    int apiPort();

    /**
     * @param port a TCP port
     * @return true if no program listens there on the nodes' ingress address
     */
    boolean portFree(int port);

    /** @return the name of the server's own node (shown as {@code local} in node views), or null */
    String localNode();

    /**
     * @param node a node
     * @return what its last report said it uses; empty if unknown
     */
    Optional<NodeUsage> usage(String node);

    /**
     * @param node a node
     * @return why its container engine does not answer, if its last report said so
     */
    default Optional<String> engineProblem(String node) {
        return Optional.empty();
    }

    /**
     * @param node a node
     * @return when its last report arrived, if since this server started; the store keeps it
     *         only to within a few seconds
     */
    default Optional<java.time.Instant> lastSeen(String node) {
        return Optional.empty();
    }

    /**
     * @return the pin of the cluster CA the server's nodes verify it by, which join tokens
     *         carry; empty if nodes reach the server without the cluster's TLS
     */
    default Optional<String> caPin() {
        return Optional.empty();
    }

    /**
     * A service's captured logs from every node, merged by time. Blocks while the nodes
     * answer, at most a few seconds; a node that does not is named in the result.
     *
     * @param query which lines
     * @return the lines and notices
     */
    LogFanIn.Read readLogs(LogQuery query);

    /**
     * Follows a service's logs on every node (and on nodes that join meanwhile). Returns at once.
     *
     * @param query which lines
     * @param sink  where they go
     * @return ends the follow; idempotent
     */
    AutoCloseable followLogs(LogQuery query, LogFanIn.Sink sink);

    /**
     * A node's resource usage.
     *
     * @param containers           containers of this cluster on it
     * @param load1                one-minute load average
     * @param memoryAvailableBytes memory available
     */
    record NodeUsage(int containers, double load1, long memoryAvailableBytes) {
    }
}
