package dev.orchestrator.agent;

import dev.orchestrator.api.spi.Endpoint;
import dev.orchestrator.api.spi.RuntimeInfo;
import dev.orchestrator.cluster.Protocol;
import dev.orchestrator.orchestration.Backend;
import dev.orchestrator.orchestration.RemoteBackends;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.Store;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Sends heartbeats to the server and keeps what the last reply said about the rest of the
 * cluster (other nodes' backends, the server's key). A failed heartbeat is logged once when the
 * server becomes unreachable and once when it is back, not every second. Thread-safe.
 */
final class Heartbeats implements RemoteBackends, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Heartbeats.class.getName());

    private final AgentOptions options;
    private final RuntimeInfo info;
    private final Store store;
    private final EventQueue events;
    private final HttpClient http;
    private final URI target;
    private volatile List<Protocol.Backend> remote = List.of();
    private volatile String serverKey;
    private volatile String agentUrl;
    private volatile String lastProblem;
    private final String nodeId;

    Heartbeats(AgentOptions options, RuntimeInfo info, Store store, EventQueue events) {
        this.options = options;
        this.info = info;
        this.store = store;
        this.events = events;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        this.target = options.server().resolve(Protocol.HEARTBEAT_PATH);
        this.nodeId = store.randomId("node_id"); // this agent's identity, kept with its data
    }

    void agentUrl(String url) {
        this.agentUrl = url;
    }

    /**
     * Sends one heartbeat and waits for the reply (at most 5 s).
     *
     * @param backends this node's healthy backends
     * @return the reply, or empty when the server did not accept it
     */
    Optional<Protocol.Reply> send(List<Backend> backends) {
        List<Protocol.Event> pending = events.pending();
        byte[] body = Protocol.write(heartbeat(backends, pending));
        var request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + options.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<byte[]> res = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (res.statusCode() != 200) {
                problem("the server refused the heartbeat: HTTP " + res.statusCode() + " "
                        + new String(res.body(), java.nio.charset.StandardCharsets.UTF_8));
                return Optional.empty();
            }
            Protocol.Reply reply = Protocol.read(res.body(), Protocol.Reply.class);
            events.ack(reply.eventsAcked());
            remote = reply.backends();
            serverKey = reply.serverKey();
            if (lastProblem != null) {
                LOG.log(Level.INFO, "server " + options.server() + " answers again");
                lastProblem = null;
            }
            return Optional.of(reply);
        } catch (IOException e) {
            problem("server " + options.server() + " unreachable: " + e);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private Protocol.Heartbeat heartbeat(List<Backend> backends, List<Protocol.Event> pending) {
        List<ReplicaRecord> rows = store.replicas().stream().filter(r -> options.name().equals(r.node())).toList();
        List<Protocol.Replica> replicas = rows.stream().map(r -> new Protocol.Replica(r.service(), r.index(),
                r.containerId(), r.containerName(), r.revision(), r.state(), r.health(), r.restartCount(),
                r.lastExitCode(), r.hostPort(), r.message(), r.updatedAt().toEpochMilli())).toList();
        List<Protocol.Backend> mine = backends.stream().map(b -> new Protocol.Backend(b.service(), b.containerPort(),
                b.protocol(), b.endpoint().replica(), b.endpoint().host(), b.endpoint().port())).toList();
        int cpus = options.cpus() > 0 ? options.cpus() : info.cpus();
        long memory = options.memoryBytes() > 0 ? options.memoryBytes() : info.memoryBytes();
        int containers = (int) rows.stream().filter(r -> r.containerId() != null).count();
        return new Protocol.Heartbeat(options.name(), nodeId, options.advertiseAddress(), agentUrl, options.labels(), cpus,
                memory, info.version(), replicas, pending, mine, HostUsage.read(containers));
    }

    private void problem(String what) {
        if (!what.equals(lastProblem)) {
            LOG.log(Level.WARNING, what + " (retrying every " + options.heartbeat().toMillis() + " ms)");
            lastProblem = what;
        }
    }

    /** The backends of other nodes, as the last reply listed them. */
    @Override
    public List<Endpoint> of(String service, int containerPort, String protocol) {
        return remote.stream().filter(b -> b.service().equals(service) && b.containerPort() == containerPort
                        && b.protocol().equals(protocol))
                .map(b -> new Endpoint(b.replica(), b.host(), b.port())).toList();
    }

    /**
     * A backend withdrawn here reaches the server with the next heartbeat, and the other
     * nodes with their next one after that: two intervals.
     */
    @Override
    public Duration propagation() {
        return options.heartbeat().multipliedBy(2).plus(Protocol.SLACK);
    }

    /** @return the key the server presents to this agent's endpoint, null before the first reply */
    String serverKey() {
        return serverKey;
    }

    @Override
    public void close() {
        http.close();
    }
}
