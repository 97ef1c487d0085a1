package dev.orchestrator.bench.sim;

import dev.orchestrator.api.spi.BalancingPolicy;
import dev.orchestrator.api.spi.Endpoint;
import dev.orchestrator.api.spi.LoadBalancer;
import dev.orchestrator.node.HttpControlPlaneLink;
import dev.orchestrator.node.Node;
import dev.orchestrator.node.NodeOptions;
import dev.orchestrator.testkit.FakeRuntime;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One simulated node: the real {@link Node} on a {@link FakeRuntime}, reporting and watching
 * over HTTP through a byte-counting {@link HttpControlPlaneLink}, with a load balancer that
 * binds nothing (every simulated node shares 127.0.0.1, so real published ports would collide).
 */
final class SimNode implements AutoCloseable {
    /** The one image every simulated service runs. */
    static final String IMAGE = "sim/app:1";

    private final String name;
    private final Node node;
    private final HttpControlPlaneLink link;
    private final RecordingLoadBalancer lb = new RecordingLoadBalancer();
    private volatile boolean closed;

    /**
     * @param name    the node name
     * @param dataDir its own data directory
     * @param server  the server's base URL
     * @param token   a join token
     * @param seed    seeds the runtime's container ids
     */
    SimNode(String name, Path dataDir, URI server, String token, long seed) {
        this.name = name;
        var runtime = new FakeRuntime(Clock.systemUTC(), seed).addImage(IMAGE, "started");
        var options = new NodeOptions(name, "127.0.0.1", "127.0.0.1", dataDir, 16, 16L << 30, Map.of(),
                Duration.ofSeconds(1), null, null, null);
        this.node = Node.create(options, runtime, lb);
        // As an agent does: finds the cluster listener, verifies it by the token's pin, joins.
        this.link = HttpControlPlaneLink.joining(server, token, name, dataDir, null);
    }

    /** Joins: one report and one view, then reports and watches on the node's own threads. */
    void start() {
        node.start(link, null);
    }

    String name() {
        return name;
    }

    long bytesSent() {
        return link.bytesSent();
    }

    long reportsSent() {
        return link.reportsSent();
    }

    long bytesReceived() {
        return link.bytesReceived();
    }

    /** @return the ports this node's load balancer was asked to publish */
    int published() {
        return lb.ports.size();
    }

    /** Stops the node without a word to the server, as if its machine died. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        node.close();
        link.close();
        lb.close();
    }

    /** Remembers what it was asked to publish; binds nothing. */
    private static final class RecordingLoadBalancer implements LoadBalancer {
        private final Map<String, List<Endpoint>> ports = new ConcurrentHashMap<>();

        @Override
        public void publish(String service, String protocol, String bindAddress, int port, List<Endpoint> backends,
                            BalancingPolicy policy) {
            ports.put(protocol + "/" + port, List.copyOf(backends));
        }

        @Override
        public void unpublish(String protocol, int port) {
            ports.remove(protocol + "/" + port);
        }

        @Override
        public void close() {
            ports.clear();
        }
    }
}
